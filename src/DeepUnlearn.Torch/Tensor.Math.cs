using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

public sealed partial class Tensor
{
    private delegate int UnaryFn(TensorHandle a, out TensorHandle result);
    private delegate int InPlaceFn(TensorHandle a);
    private delegate int BinaryFn(TensorHandle a, TensorHandle b, out TensorHandle result);
    private delegate int BinaryInPlaceFn(TensorHandle a, TensorHandle b);
    private delegate int ScalarFn(TensorHandle a, double s, out TensorHandle result);
    private delegate int ScalarInPlaceFn(TensorHandle a, double s);

    private Tensor Unary(UnaryFn fn) => Wrap(fn(Handle, out TensorHandle h), h);

    private Tensor InPlace(InPlaceFn fn)
    {
        NativeStatus.ThrowIfFailed(fn(Handle));
        return this;
    }

    private Tensor Binary(BinaryFn fn, Tensor other) => Wrap(fn(Handle, other.Handle, out TensorHandle h), h);

    private Tensor BinaryInPlace(BinaryInPlaceFn fn, Tensor other)
    {
        NativeStatus.ThrowIfFailed(fn(Handle, other.Handle));
        return this;
    }

    private Tensor WithScalar(ScalarFn fn, double s) => Wrap(fn(Handle, s, out TensorHandle h), h);

    private Tensor WithScalarInPlace(ScalarInPlaceFn fn, double s)
    {
        NativeStatus.ThrowIfFailed(fn(Handle, s));
        return this;
    }

    // ---- Arithmetic --------------------------------------------------------------------------

    /// <summary>this + alpha · other (broadcasting).</summary>
    public Tensor Add(Tensor other, double alpha = 1) => Wrap(NativeMethods.du_tensor_add(Handle, other.Handle, alpha, out TensorHandle h), h);

    /// <summary>this − alpha · other.</summary>
    public Tensor Sub(Tensor other, double alpha = 1) => Wrap(NativeMethods.du_tensor_sub(Handle, other.Handle, alpha, out TensorHandle h), h);

    /// <summary>Elementwise product.</summary>
    public Tensor Mul(Tensor other) => Binary(NativeMethods.du_tensor_mul, other);

    /// <summary>Elementwise true division.</summary>
    public Tensor Div(Tensor other) => Binary(NativeMethods.du_tensor_div, other);

    /// <summary>Elementwise power.</summary>
    public Tensor Pow(Tensor exponent) => Binary(NativeMethods.du_tensor_pow, exponent);

    /// <summary>Elementwise maximum.</summary>
    public Tensor Maximum(Tensor other) => Binary(NativeMethods.du_tensor_maximum, other);

    /// <summary>Elementwise minimum.</summary>
    public Tensor Minimum(Tensor other) => Binary(NativeMethods.du_tensor_minimum, other);

    /// <summary>Python-style remainder (sign of the divisor).</summary>
    public Tensor Remainder(Tensor other) => Binary(NativeMethods.du_tensor_remainder, other);

    /// <summary>Elementwise atan2(this, other).</summary>
    public Tensor Atan2(Tensor other) => Binary(NativeMethods.du_tensor_atan2, other);

    /// <summary>this + s.</summary>
    public Tensor Add(double s) => WithScalar(NativeMethods.du_tensor_add_scalar, s);

    /// <summary>this − s.</summary>
    public Tensor Sub(double s) => WithScalar(NativeMethods.du_tensor_sub_scalar, s);

    /// <summary>this · s.</summary>
    public Tensor Mul(double s) => WithScalar(NativeMethods.du_tensor_mul_scalar, s);

    /// <summary>this / s.</summary>
    public Tensor Div(double s) => WithScalar(NativeMethods.du_tensor_div_scalar, s);

    /// <summary>this ^ s.</summary>
    public Tensor Pow(double s) => WithScalar(NativeMethods.du_tensor_pow_scalar, s);

    /// <summary>Remainder of division by s.</summary>
    public Tensor Remainder(double s) => WithScalar(NativeMethods.du_tensor_remainder_scalar, s);

    /// <summary>s − this.</summary>
    public Tensor RSub(double s) => WithScalar(NativeMethods.du_tensor_rsub_scalar, s);

    /// <summary>s / this.</summary>
    public Tensor RDiv(double s) => WithScalar(NativeMethods.du_tensor_rdiv_scalar, s);

    /// <summary>s ^ this.</summary>
    public Tensor RPow(double s) => WithScalar(NativeMethods.du_tensor_rpow_scalar, s);

    /// <summary>this + value · t1 · t2.</summary>
    public Tensor AddCMul(Tensor t1, Tensor t2, double value = 1) =>
        Wrap(NativeMethods.du_tensor_addcmul(Handle, t1.Handle, t2.Handle, value, out TensorHandle h), h);

    /// <summary>this + value · t1 / t2.</summary>
    public Tensor AddCDiv(Tensor t1, Tensor t2, double value = 1) =>
        Wrap(NativeMethods.du_tensor_addcdiv(Handle, t1.Handle, t2.Handle, value, out TensorHandle h), h);

    // ---- In place ----------------------------------------------------------------------------

    /// <summary>this += alpha · other.</summary>
    public Tensor AddInPlace(Tensor other, double alpha = 1)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_add_(Handle, other.Handle, alpha));
        return this;
    }

    /// <summary>this −= alpha · other.</summary>
    public Tensor SubInPlace(Tensor other, double alpha = 1)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_sub_(Handle, other.Handle, alpha));
        return this;
    }

    /// <summary>this ·= other.</summary>
    public Tensor MulInPlace(Tensor other) => BinaryInPlace(NativeMethods.du_tensor_mul_, other);

    /// <summary>this /= other.</summary>
    public Tensor DivInPlace(Tensor other) => BinaryInPlace(NativeMethods.du_tensor_div_, other);

    /// <summary>this = this ^ other.</summary>
    public Tensor PowInPlace(Tensor other) => BinaryInPlace(NativeMethods.du_tensor_pow_, other);

    /// <summary>this = max(this, other).</summary>
    public Tensor MaximumInPlace(Tensor other) => BinaryInPlace(NativeMethods.du_tensor_maximum_, other);

    /// <summary>this = min(this, other).</summary>
    public Tensor MinimumInPlace(Tensor other) => BinaryInPlace(NativeMethods.du_tensor_minimum_, other);

    /// <summary>Copies <paramref name="source"/>'s values into this tensor (broadcasting, converting dtype and device).</summary>
    public Tensor CopyFrom(Tensor source) => BinaryInPlace(NativeMethods.du_tensor_copy_, source);

    /// <summary>this += s.</summary>
    public Tensor AddInPlace(double s) => WithScalarInPlace(NativeMethods.du_tensor_add_scalar_, s);

    /// <summary>this −= s.</summary>
    public Tensor SubInPlace(double s) => WithScalarInPlace(NativeMethods.du_tensor_sub_scalar_, s);

    /// <summary>this ·= s.</summary>
    public Tensor MulInPlace(double s) => WithScalarInPlace(NativeMethods.du_tensor_mul_scalar_, s);

    /// <summary>this /= s.</summary>
    public Tensor DivInPlace(double s) => WithScalarInPlace(NativeMethods.du_tensor_div_scalar_, s);

    /// <summary>this = this ^ s.</summary>
    public Tensor PowInPlace(double s) => WithScalarInPlace(NativeMethods.du_tensor_pow_scalar_, s);

    /// <summary>Sets every element to s.</summary>
    public Tensor FillInPlace(double s) => WithScalarInPlace(NativeMethods.du_tensor_fill_, s);

    /// <summary>Sets every element to zero.</summary>
    public Tensor ZeroInPlace() => InPlace(NativeMethods.du_tensor_zero_);

    /// <summary>this += value · t1 · t2.</summary>
    public Tensor AddCMulInPlace(Tensor t1, Tensor t2, double value = 1)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_addcmul_(Handle, t1.Handle, t2.Handle, value));
        return this;
    }

    /// <summary>this += value · t1 / t2.</summary>
    public Tensor AddCDivInPlace(Tensor t1, Tensor t2, double value = 1)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_addcdiv_(Handle, t1.Handle, t2.Handle, value));
        return this;
    }

    /// <summary>this += weight · (end − this).</summary>
    public Tensor LerpInPlace(Tensor end, double weight)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_lerp_(Handle, end.Handle, weight));
        return this;
    }

    /// <summary>Clamps in place (null leaves a side open).</summary>
    public Tensor ClampInPlace(double? min = null, double? max = null)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_clamp_(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));
        return this;
    }

    /// <summary>Negates in place.</summary>
    public Tensor NegInPlace() => InPlace(NativeMethods.du_tensor_neg_);

    /// <summary>Absolute value in place.</summary>
    public Tensor AbsInPlace() => InPlace(NativeMethods.du_tensor_abs_);

    /// <summary>Exponential in place.</summary>
    public Tensor ExpInPlace() => InPlace(NativeMethods.du_tensor_exp_);

    /// <summary>Natural logarithm in place.</summary>
    public Tensor LogInPlace() => InPlace(NativeMethods.du_tensor_log_);

    /// <summary>Square root in place.</summary>
    public Tensor SqrtInPlace() => InPlace(NativeMethods.du_tensor_sqrt_);

    /// <summary>Sign in place.</summary>
    public Tensor SignInPlace() => InPlace(NativeMethods.du_tensor_sign_);

    /// <summary>ReLU in place.</summary>
    public Tensor ReluInPlace() => InPlace(NativeMethods.du_tensor_relu_);

    /// <summary>Sigmoid in place.</summary>
    public Tensor SigmoidInPlace() => InPlace(NativeMethods.du_tensor_sigmoid_);

    /// <summary>tanh in place.</summary>
    public Tensor TanhInPlace() => InPlace(NativeMethods.du_tensor_tanh_);

    /// <summary>Floor in place.</summary>
    public Tensor FloorInPlace() => InPlace(NativeMethods.du_tensor_floor_);

    /// <summary>Round half to even in place.</summary>
    public Tensor RoundInPlace() => InPlace(NativeMethods.du_tensor_round_);

    /// <summary>Square in place.</summary>
    public Tensor SquareInPlace() => InPlace(NativeMethods.du_tensor_square_);

    /// <summary>1 / x in place.</summary>
    public Tensor ReciprocalInPlace() => InPlace(NativeMethods.du_tensor_reciprocal_);

    /// <summary>Detaches this tensor from the autograd graph in place.</summary>
    public Tensor DetachInPlace() => InPlace(NativeMethods.du_tensor_detach_);

    // ---- Unary -------------------------------------------------------------------------------

    /// <summary>−x.</summary>
    public Tensor Neg() => Unary(NativeMethods.du_tensor_neg);

    /// <summary>|x|.</summary>
    public Tensor Abs() => Unary(NativeMethods.du_tensor_abs);

    /// <summary>e^x.</summary>
    public Tensor Exp() => Unary(NativeMethods.du_tensor_exp);

    /// <summary>ln x.</summary>
    public Tensor Log() => Unary(NativeMethods.du_tensor_log);

    /// <summary>ln(1 + x).</summary>
    public Tensor Log1p() => Unary(NativeMethods.du_tensor_log1p);

    /// <summary>e^x − 1.</summary>
    public Tensor Expm1() => Unary(NativeMethods.du_tensor_expm1);

    /// <summary>√x.</summary>
    public Tensor Sqrt() => Unary(NativeMethods.du_tensor_sqrt);

    /// <summary>1/√x.</summary>
    public Tensor Rsqrt() => Unary(NativeMethods.du_tensor_rsqrt);

    /// <summary>Sign: −1, 0 or 1.</summary>
    public Tensor Sign() => Unary(NativeMethods.du_tensor_sign);

    /// <summary>sin x.</summary>
    public Tensor Sin() => Unary(NativeMethods.du_tensor_sin);

    /// <summary>cos x.</summary>
    public Tensor Cos() => Unary(NativeMethods.du_tensor_cos);

    /// <summary>tanh x.</summary>
    public Tensor Tanh() => Unary(NativeMethods.du_tensor_tanh);

    /// <summary>1 / (1 + e^−x).</summary>
    public Tensor Sigmoid() => Unary(NativeMethods.du_tensor_sigmoid);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(NativeMethods.du_tensor_relu);

    /// <summary>x · sigmoid(x).</summary>
    public Tensor Silu() => Unary(NativeMethods.du_tensor_silu);

    /// <summary>Floor.</summary>
    public Tensor Floor() => Unary(NativeMethods.du_tensor_floor);

    /// <summary>Ceiling.</summary>
    public Tensor Ceil() => Unary(NativeMethods.du_tensor_ceil);

    /// <summary>Round half to even.</summary>
    public Tensor Round() => Unary(NativeMethods.du_tensor_round);

    /// <summary>x².</summary>
    public Tensor Square() => Unary(NativeMethods.du_tensor_square);

    /// <summary>1 / x.</summary>
    public Tensor Reciprocal() => Unary(NativeMethods.du_tensor_reciprocal);

    /// <summary>The error function.</summary>
    public Tensor Erf() => Unary(NativeMethods.du_tensor_erf);

    /// <summary>Logical not (bool).</summary>
    public Tensor LogicalNot() => Unary(NativeMethods.du_tensor_logical_not);

    /// <summary>Which elements are NaN (bool).</summary>
    public Tensor IsNan() => Unary(NativeMethods.du_tensor_isnan);

    /// <summary>Which elements are ±∞ (bool).</summary>
    public Tensor IsInf() => Unary(NativeMethods.du_tensor_isinf);

    /// <summary>Which elements are finite (bool).</summary>
    public Tensor IsFinite() => Unary(NativeMethods.du_tensor_isfinite);

    /// <summary>A contiguous tensor with the same values (this data when already contiguous).</summary>
    public Tensor Contiguous() => Unary(NativeMethods.du_tensor_contiguous);

    /// <summary>A copy with its own storage, recorded by autograd.</summary>
    public Tensor Clone() => Unary(NativeMethods.du_tensor_clone);

    /// <summary>The same data, cut from the autograd graph.</summary>
    public Tensor Detach() => Unary(NativeMethods.du_tensor_detach);

    /// <summary>Transpose of a 2-D tensor.</summary>
    public Tensor T() => Unary(NativeMethods.du_tensor_t);

    /// <summary>Leaky ReLU.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Wrap(NativeMethods.du_tensor_leaky_relu(Handle, negativeSlope, out TensorHandle h), h);

    /// <summary>GELU (exact, or the tanh approximation).</summary>
    public Tensor Gelu(bool tanhApproximation = false) => Wrap(NativeMethods.du_tensor_gelu(Handle, tanhApproximation ? 1 : 0, out TensorHandle h), h);

    /// <summary>Clamps to [min, max] (null leaves a side open).</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(NativeMethods.du_tensor_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0, out TensorHandle h), h);

    /// <summary>Elementwise choice: <paramref name="a"/> where <paramref name="condition"/>, else <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) =>
        Wrap(NativeMethods.du_tensor_where(condition.Handle, a.Handle, b.Handle, out TensorHandle h), h);

    // ---- Comparisons (bool results) ----------------------------------------------------------

    /// <summary>this == other.</summary>
    public Tensor Eq(Tensor other) => Binary(NativeMethods.du_tensor_eq, other);

    /// <summary>this != other.</summary>
    public Tensor Ne(Tensor other) => Binary(NativeMethods.du_tensor_ne, other);

    /// <summary>this &lt; other.</summary>
    public Tensor Lt(Tensor other) => Binary(NativeMethods.du_tensor_lt, other);

    /// <summary>this &lt;= other.</summary>
    public Tensor Le(Tensor other) => Binary(NativeMethods.du_tensor_le, other);

    /// <summary>this &gt; other.</summary>
    public Tensor Gt(Tensor other) => Binary(NativeMethods.du_tensor_gt, other);

    /// <summary>this &gt;= other.</summary>
    public Tensor Ge(Tensor other) => Binary(NativeMethods.du_tensor_ge, other);

    /// <summary>this == s.</summary>
    public Tensor Eq(double s) => WithScalar(NativeMethods.du_tensor_eq_scalar, s);

    /// <summary>this != s.</summary>
    public Tensor Ne(double s) => WithScalar(NativeMethods.du_tensor_ne_scalar, s);

    /// <summary>this &lt; s.</summary>
    public Tensor Lt(double s) => WithScalar(NativeMethods.du_tensor_lt_scalar, s);

    /// <summary>this &lt;= s.</summary>
    public Tensor Le(double s) => WithScalar(NativeMethods.du_tensor_le_scalar, s);

    /// <summary>this &gt; s.</summary>
    public Tensor Gt(double s) => WithScalar(NativeMethods.du_tensor_gt_scalar, s);

    /// <summary>this &gt;= s.</summary>
    public Tensor Ge(double s) => WithScalar(NativeMethods.du_tensor_ge_scalar, s);

    /// <summary>Logical and.</summary>
    public Tensor LogicalAnd(Tensor other) => Binary(NativeMethods.du_tensor_logical_and, other);

    /// <summary>Logical or.</summary>
    public Tensor LogicalOr(Tensor other) => Binary(NativeMethods.du_tensor_logical_or, other);

    /// <summary>Logical xor.</summary>
    public Tensor LogicalXor(Tensor other) => Binary(NativeMethods.du_tensor_logical_xor, other);

    // ---- Matrix products ---------------------------------------------------------------------

    /// <summary>Matrix product with PyTorch's matmul broadcasting rules.</summary>
    public Tensor MatMul(Tensor other) => Binary(NativeMethods.du_tensor_matmul, other);

    /// <summary>2-D matrix product.</summary>
    public Tensor Mm(Tensor other) => Binary(NativeMethods.du_tensor_mm, other);

    /// <summary>Batched 3-D matrix product.</summary>
    public Tensor Bmm(Tensor other) => Binary(NativeMethods.du_tensor_bmm, other);

    /// <summary>Outer product of two vectors.</summary>
    public Tensor Outer(Tensor other) => Binary(NativeMethods.du_tensor_outer, other);

    /// <summary>Dot product of two vectors.</summary>
    public Tensor Dot(Tensor other) => Binary(NativeMethods.du_tensor_dot, other);

    /// <summary>beta · this + alpha · (m1 @ m2).</summary>
    public Tensor AddMm(Tensor m1, Tensor m2, double beta = 1, double alpha = 1) =>
        Wrap(NativeMethods.du_tensor_addmm(Handle, m1.Handle, m2.Handle, beta, alpha, out TensorHandle h), h);

    // ---- Operators ---------------------------------------------------------------------------

    /// <summary>Elementwise sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    /// <summary>Elementwise difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);

    /// <summary>Elementwise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);

    /// <summary>Elementwise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>Tensor plus scalar.</summary>
    public static Tensor operator +(Tensor a, double s) => a.Add(s);

    /// <summary>Scalar plus tensor.</summary>
    public static Tensor operator +(double s, Tensor a) => a.Add(s);

    /// <summary>Tensor minus scalar.</summary>
    public static Tensor operator -(Tensor a, double s) => a.Sub(s);

    /// <summary>Scalar minus tensor.</summary>
    public static Tensor operator -(double s, Tensor a) => a.RSub(s);

    /// <summary>Tensor times scalar.</summary>
    public static Tensor operator *(Tensor a, double s) => a.Mul(s);

    /// <summary>Scalar times tensor.</summary>
    public static Tensor operator *(double s, Tensor a) => a.Mul(s);

    /// <summary>Tensor over scalar.</summary>
    public static Tensor operator /(Tensor a, double s) => a.Div(s);

    /// <summary>Scalar over tensor.</summary>
    public static Tensor operator /(double s, Tensor a) => a.RDiv(s);
}
