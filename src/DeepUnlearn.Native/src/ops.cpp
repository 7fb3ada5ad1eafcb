// Elementwise operations, reductions, shape and indexing operations.
#include "common.h"

#include <cmath>

namespace
{
c10::optional<at::IntArrayRef> optional_dims(const int64_t* dims, int32_t ndims)
{
    if (ndims == 0)
    {
        return c10::nullopt;
    }
    return du::int_array(dims, ndims, "dims");
}

std::vector<int64_t> all_dims_if_empty(const at::Tensor& t, const int64_t* dims, int32_t ndims)
{
    if (ndims > 0)
    {
        auto given = du::int_array(dims, ndims, "dims");
        return std::vector<int64_t>(given.begin(), given.end());
    }
    std::vector<int64_t> all(static_cast<size_t>(t.dim()));
    for (int64_t i = 0; i < t.dim(); ++i)
    {
        all[static_cast<size_t>(i)] = i;
    }
    return all;
}

// An optional clamp bound, typed for the tensor (see du::scalar).
c10::optional<at::Scalar> bound(int32_t present, double value, const at::Tensor& like)
{
    if (present == 0)
    {
        return c10::nullopt;
    }
    return du::scalar(value, like.scalar_type());
}
} // namespace

#define DU_DEFINE_UNARY(name)                                                   \
    int32_t du_tensor_##name(const du_tensor* a, du_tensor** out)               \
    {                                                                           \
        return du::guard([&] { du::put(out, at::name(du::tensor(a, "a"))); }); \
    }
#define DU_DEFINE_UNARY_INPLACE(name)                                \
    int32_t du_tensor_##name(du_tensor* a)                           \
    {                                                                \
        return du::guard([&] { du::tensor_mut(a, "a").name(); });    \
    }
#define DU_DEFINE_BINARY(name)                                                                      \
    int32_t du_tensor_##name(const du_tensor* a, const du_tensor* b, du_tensor** out)               \
    {                                                                                               \
        return du::guard([&] { du::put(out, at::name(du::tensor(a, "a"), du::tensor(b, "b"))); }); \
    }
#define DU_DEFINE_BINARY_INPLACE(name)                                                   \
    int32_t du_tensor_##name(du_tensor* a, const du_tensor* b)                           \
    {                                                                                    \
        return du::guard([&] { du::tensor_mut(a, "a").name(du::tensor(b, "b")); });     \
    }

// contiguous() is a method only; give it the free-function spelling the macro uses.
namespace at
{
inline Tensor contiguous(const Tensor& a)
{
    return a.contiguous();
}
} // namespace at

extern "C" {

DU_DEFINE_UNARY(neg)
DU_DEFINE_UNARY(abs)
DU_DEFINE_UNARY(exp)
DU_DEFINE_UNARY(log)
DU_DEFINE_UNARY(log1p)
DU_DEFINE_UNARY(expm1)
DU_DEFINE_UNARY(sqrt)
DU_DEFINE_UNARY(rsqrt)
DU_DEFINE_UNARY(sign)
DU_DEFINE_UNARY(sin)
DU_DEFINE_UNARY(cos)
DU_DEFINE_UNARY(tanh)
DU_DEFINE_UNARY(sigmoid)
DU_DEFINE_UNARY(relu)
DU_DEFINE_UNARY(floor)
DU_DEFINE_UNARY(ceil)
DU_DEFINE_UNARY(round)
DU_DEFINE_UNARY(square)
DU_DEFINE_UNARY(reciprocal)
DU_DEFINE_UNARY(erf)
DU_DEFINE_UNARY(logical_not)
DU_DEFINE_UNARY(isnan)
DU_DEFINE_UNARY(isinf)
DU_DEFINE_UNARY(isfinite)
DU_DEFINE_UNARY(contiguous)
DU_DEFINE_UNARY(clone)
DU_DEFINE_UNARY(detach)
DU_DEFINE_UNARY(t)
DU_DEFINE_UNARY(silu)

DU_DEFINE_UNARY_INPLACE(neg_)
DU_DEFINE_UNARY_INPLACE(abs_)
DU_DEFINE_UNARY_INPLACE(exp_)
DU_DEFINE_UNARY_INPLACE(log_)
DU_DEFINE_UNARY_INPLACE(sqrt_)
DU_DEFINE_UNARY_INPLACE(sign_)
DU_DEFINE_UNARY_INPLACE(relu_)
DU_DEFINE_UNARY_INPLACE(sigmoid_)
DU_DEFINE_UNARY_INPLACE(tanh_)
DU_DEFINE_UNARY_INPLACE(zero_)
DU_DEFINE_UNARY_INPLACE(floor_)
DU_DEFINE_UNARY_INPLACE(round_)
DU_DEFINE_UNARY_INPLACE(square_)
DU_DEFINE_UNARY_INPLACE(reciprocal_)
DU_DEFINE_UNARY_INPLACE(detach_)

DU_DEFINE_BINARY(mul)
DU_DEFINE_BINARY(div)
DU_DEFINE_BINARY(pow)
DU_DEFINE_BINARY(maximum)
DU_DEFINE_BINARY(minimum)
DU_DEFINE_BINARY(remainder)
DU_DEFINE_BINARY(eq)
DU_DEFINE_BINARY(ne)
DU_DEFINE_BINARY(lt)
DU_DEFINE_BINARY(le)
DU_DEFINE_BINARY(gt)
DU_DEFINE_BINARY(ge)
DU_DEFINE_BINARY(logical_and)
DU_DEFINE_BINARY(logical_or)
DU_DEFINE_BINARY(logical_xor)
DU_DEFINE_BINARY(matmul)
DU_DEFINE_BINARY(mm)
DU_DEFINE_BINARY(bmm)
DU_DEFINE_BINARY(outer)
DU_DEFINE_BINARY(dot)
DU_DEFINE_BINARY(atan2)

DU_DEFINE_BINARY_INPLACE(mul_)
DU_DEFINE_BINARY_INPLACE(div_)
DU_DEFINE_BINARY_INPLACE(pow_)
DU_DEFINE_BINARY_INPLACE(copy_)

int32_t du_tensor_maximum_(du_tensor* a, const du_tensor* b)
{
    return du::guard([&] {
        auto& x = du::tensor_mut(a, "a");
        at::maximum_out(x, x, du::tensor(b, "b"));
    });
}

int32_t du_tensor_minimum_(du_tensor* a, const du_tensor* b)
{
    return du::guard([&] {
        auto& x = du::tensor_mut(a, "a");
        at::minimum_out(x, x, du::tensor(b, "b"));
    });
}

// `s` is the double argument as an at::Scalar suited to the tensor's dtype (see du::scalar).
#define DU_DEFINE_SCALAR(name, expr)                                              \
    int32_t du_tensor_##name(const du_tensor* a, double value, du_tensor** out)   \
    {                                                                             \
        return du::guard([&] {                                                    \
            const auto& x = du::tensor(a, "a");                                   \
            const auto s = du::scalar(value, x.scalar_type());                    \
            du::put(out, expr);                                                   \
        });                                                                       \
    }
#define DU_DEFINE_SCALAR_INPLACE(name, expr)                                      \
    int32_t du_tensor_##name(du_tensor* a, double value)                          \
    {                                                                             \
        return du::guard([&] {                                                    \
            auto& x = du::tensor_mut(a, "a");                                     \
            const auto s = du::scalar(value, x.scalar_type());                    \
            expr;                                                                 \
        });                                                                       \
    }

DU_DEFINE_SCALAR(add_scalar, at::add(x, s))
DU_DEFINE_SCALAR(sub_scalar, at::sub(x, s))
DU_DEFINE_SCALAR(mul_scalar, at::mul(x, s))
DU_DEFINE_SCALAR(div_scalar, at::div(x, s))
DU_DEFINE_SCALAR(pow_scalar, at::pow(x, s))
DU_DEFINE_SCALAR(remainder_scalar, at::remainder(x, s))
DU_DEFINE_SCALAR(eq_scalar, at::eq(x, s))
DU_DEFINE_SCALAR(ne_scalar, at::ne(x, s))
DU_DEFINE_SCALAR(lt_scalar, at::lt(x, s))
DU_DEFINE_SCALAR(le_scalar, at::le(x, s))
DU_DEFINE_SCALAR(gt_scalar, at::gt(x, s))
DU_DEFINE_SCALAR(ge_scalar, at::ge(x, s))
DU_DEFINE_SCALAR(rsub_scalar, at::rsub(x, s))
DU_DEFINE_SCALAR(rdiv_scalar, at::mul(at::reciprocal(x), s))
DU_DEFINE_SCALAR(rpow_scalar, at::pow(s, x))
DU_DEFINE_SCALAR(fill_like, at::full_like(x, s))

DU_DEFINE_SCALAR_INPLACE(add_scalar_, x.add_(s))
DU_DEFINE_SCALAR_INPLACE(sub_scalar_, x.sub_(s))
DU_DEFINE_SCALAR_INPLACE(mul_scalar_, x.mul_(s))
DU_DEFINE_SCALAR_INPLACE(div_scalar_, x.div_(s))
DU_DEFINE_SCALAR_INPLACE(pow_scalar_, x.pow_(s))
DU_DEFINE_SCALAR_INPLACE(fill_, x.fill_(s))

int32_t du_tensor_add(const du_tensor* a, const du_tensor* b, double alpha, du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(a, "a");
        const auto& y = du::tensor(b, "b");
        du::put(out, at::add(x, y, du::scalar(alpha, at::result_type(x, y))));
    });
}

int32_t du_tensor_sub(const du_tensor* a, const du_tensor* b, double alpha, du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(a, "a");
        const auto& y = du::tensor(b, "b");
        du::put(out, at::sub(x, y, du::scalar(alpha, at::result_type(x, y))));
    });
}

int32_t du_tensor_add_(du_tensor* a, const du_tensor* b, double alpha)
{
    return du::guard([&] {
        auto& x = du::tensor_mut(a, "a");
        x.add_(du::tensor(b, "b"), du::scalar(alpha, x.scalar_type()));
    });
}

int32_t du_tensor_sub_(du_tensor* a, const du_tensor* b, double alpha)
{
    return du::guard([&] {
        auto& x = du::tensor_mut(a, "a");
        x.sub_(du::tensor(b, "b"), du::scalar(alpha, x.scalar_type()));
    });
}

int32_t du_tensor_addcmul(const du_tensor* a, const du_tensor* t1, const du_tensor* t2, double value, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::addcmul(du::tensor(a, "a"), du::tensor(t1, "t1"), du::tensor(t2, "t2"), value));
    });
}

int32_t du_tensor_addcdiv(const du_tensor* a, const du_tensor* t1, const du_tensor* t2, double value, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::addcdiv(du::tensor(a, "a"), du::tensor(t1, "t1"), du::tensor(t2, "t2"), value));
    });
}

int32_t du_tensor_addcmul_(du_tensor* a, const du_tensor* t1, const du_tensor* t2, double value)
{
    return du::guard([&] { du::tensor_mut(a, "a").addcmul_(du::tensor(t1, "t1"), du::tensor(t2, "t2"), value); });
}

int32_t du_tensor_addcdiv_(du_tensor* a, const du_tensor* t1, const du_tensor* t2, double value)
{
    return du::guard([&] { du::tensor_mut(a, "a").addcdiv_(du::tensor(t1, "t1"), du::tensor(t2, "t2"), value); });
}

int32_t du_tensor_lerp_(du_tensor* a, const du_tensor* end, double weight)
{
    return du::guard([&] { du::tensor_mut(a, "a").lerp_(du::tensor(end, "end"), weight); });
}

int32_t du_tensor_addmm(const du_tensor* a, const du_tensor* m1, const du_tensor* m2, double beta, double alpha,
                        du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::addmm(du::tensor(a, "a"), du::tensor(m1, "m1"), du::tensor(m2, "m2"), beta, alpha));
    });
}

int32_t du_tensor_where(const du_tensor* cond, const du_tensor* a, const du_tensor* b, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::where(du::tensor(cond, "cond"), du::tensor(a, "a"), du::tensor(b, "b")));
    });
}

int32_t du_tensor_clamp(const du_tensor* a, int32_t has_min, double min, int32_t has_max, double max, du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(a, "a");
        du::put(out, at::clamp(x, bound(has_min, min, x), bound(has_max, max, x)));
    });
}

int32_t du_tensor_clamp_(du_tensor* a, int32_t has_min, double min, int32_t has_max, double max)
{
    return du::guard([&] {
        auto& x = du::tensor_mut(a, "a");
        x.clamp_(bound(has_min, min, x), bound(has_max, max, x));
    });
}

int32_t du_tensor_leaky_relu(const du_tensor* a, double negative_slope, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::leaky_relu(du::tensor(a, "a"), negative_slope)); });
}

int32_t du_tensor_gelu(const du_tensor* a, int32_t approximate, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::gelu(du::tensor(a, "a"), approximate ? "tanh" : "none")); });
}

int32_t du_tensor_sum(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t keepdim, du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(a, "a");
        du::put(out, ndims == 0 && !keepdim ? at::sum(x) : at::sum(x, all_dims_if_empty(x, dims, ndims), keepdim != 0));
    });
}

int32_t du_tensor_mean(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t keepdim, du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(a, "a");
        du::put(out,
                ndims == 0 && !keepdim ? at::mean(x) : at::mean(x, all_dims_if_empty(x, dims, ndims), keepdim != 0));
    });
}

int32_t du_tensor_prod(const du_tensor* a, int64_t dim, int32_t keepdim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::prod(du::tensor(a, "a"), dim, keepdim != 0)); });
}

int32_t du_tensor_norm(const du_tensor* a, double p, const int64_t* dims, int32_t ndims, int32_t keepdim,
                       du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::linalg_vector_norm(du::tensor(a, "a"), p, optional_dims(dims, ndims), keepdim != 0));
    });
}

int32_t du_tensor_var(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t unbiased, int32_t keepdim,
                      du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(a, "a");
        du::put(out, at::var(x, all_dims_if_empty(x, dims, ndims), unbiased != 0, keepdim != 0));
    });
}

int32_t du_tensor_std(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t unbiased, int32_t keepdim,
                      du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(a, "a");
        du::put(out, at::std(x, all_dims_if_empty(x, dims, ndims), unbiased != 0, keepdim != 0));
    });
}

int32_t du_tensor_logsumexp(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t keepdim, du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(a, "a");
        du::put(out, at::logsumexp(x, all_dims_if_empty(x, dims, ndims), keepdim != 0));
    });
}

int32_t du_tensor_max_all(const du_tensor* a, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::max(du::tensor(a, "a"))); });
}

int32_t du_tensor_min_all(const du_tensor* a, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::min(du::tensor(a, "a"))); });
}

int32_t du_tensor_max_dim(const du_tensor* a, int64_t dim, int32_t keepdim, du_tensor** out_values,
                          du_tensor** out_indices)
{
    return du::guard([&] {
        du::check_out(out_values, "out_values");
        du::check_out(out_indices, "out_indices");
        auto result = at::max(du::tensor(a, "a"), dim, keepdim != 0);
        du::put(out_values, std::get<0>(result));
        du::put(out_indices, std::get<1>(result));
    });
}

int32_t du_tensor_min_dim(const du_tensor* a, int64_t dim, int32_t keepdim, du_tensor** out_values,
                          du_tensor** out_indices)
{
    return du::guard([&] {
        du::check_out(out_values, "out_values");
        du::check_out(out_indices, "out_indices");
        auto result = at::min(du::tensor(a, "a"), dim, keepdim != 0);
        du::put(out_values, std::get<0>(result));
        du::put(out_indices, std::get<1>(result));
    });
}

int32_t du_tensor_argmax(const du_tensor* a, int32_t has_dim, int64_t dim, int32_t keepdim, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::argmax(du::tensor(a, "a"), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt,
                                keepdim != 0));
    });
}

int32_t du_tensor_argmin(const du_tensor* a, int32_t has_dim, int64_t dim, int32_t keepdim, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::argmin(du::tensor(a, "a"), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt,
                                keepdim != 0));
    });
}

int32_t du_tensor_any(const du_tensor* a, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::any(du::tensor(a, "a"))); });
}

int32_t du_tensor_all(const du_tensor* a, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::all(du::tensor(a, "a"))); });
}

int32_t du_tensor_cumsum(const du_tensor* a, int64_t dim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::cumsum(du::tensor(a, "a"), dim)); });
}

int32_t du_tensor_topk(const du_tensor* a, int64_t k, int64_t dim, int32_t largest, du_tensor** out_values,
                       du_tensor** out_indices)
{
    return du::guard([&] {
        du::check_out(out_values, "out_values");
        du::check_out(out_indices, "out_indices");
        auto result = at::topk(du::tensor(a, "a"), k, dim, largest != 0, true);
        du::put(out_values, std::get<0>(result));
        du::put(out_indices, std::get<1>(result));
    });
}

int32_t du_tensor_sort(const du_tensor* a, int64_t dim, int32_t descending, du_tensor** out_values,
                       du_tensor** out_indices)
{
    return du::guard([&] {
        du::check_out(out_values, "out_values");
        du::check_out(out_indices, "out_indices");
        auto result = at::sort(du::tensor(a, "a"), dim, descending != 0);
        du::put(out_values, std::get<0>(result));
        du::put(out_indices, std::get<1>(result));
    });
}

int32_t du_tensor_reshape(const du_tensor* a, const int64_t* shape, int32_t ndim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::reshape(du::tensor(a, "a"), du::int_array(shape, ndim, "shape"))); });
}

int32_t du_tensor_view(const du_tensor* a, const int64_t* shape, int32_t ndim, du_tensor** out)
{
    return du::guard([&] { du::put(out, du::tensor(a, "a").view(du::int_array(shape, ndim, "shape"))); });
}

int32_t du_tensor_expand(const du_tensor* a, const int64_t* shape, int32_t ndim, du_tensor** out)
{
    return du::guard([&] { du::put(out, du::tensor(a, "a").expand(du::int_array(shape, ndim, "shape"))); });
}

int32_t du_tensor_repeat(const du_tensor* a, const int64_t* repeats, int32_t ndim, du_tensor** out)
{
    return du::guard([&] { du::put(out, du::tensor(a, "a").repeat(du::int_array(repeats, ndim, "repeats"))); });
}

int32_t du_tensor_permute(const du_tensor* a, const int64_t* dims, int32_t ndim, du_tensor** out)
{
    return du::guard([&] { du::put(out, du::tensor(a, "a").permute(du::int_array(dims, ndim, "dims"))); });
}

int32_t du_tensor_flip(const du_tensor* a, const int64_t* dims, int32_t ndim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::flip(du::tensor(a, "a"), du::int_array(dims, ndim, "dims"))); });
}

int32_t du_tensor_transpose(const du_tensor* a, int64_t dim0, int64_t dim1, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::transpose(du::tensor(a, "a"), dim0, dim1)); });
}

int32_t du_tensor_flatten(const du_tensor* a, int64_t start_dim, int64_t end_dim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::flatten(du::tensor(a, "a"), start_dim, end_dim)); });
}

int32_t du_tensor_squeeze(const du_tensor* a, int32_t has_dim, int64_t dim, du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(a, "a");
        du::put(out, has_dim ? at::squeeze(x, dim) : at::squeeze(x));
    });
}

int32_t du_tensor_unsqueeze(const du_tensor* a, int64_t dim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::unsqueeze(du::tensor(a, "a"), dim)); });
}

int32_t du_tensor_narrow(const du_tensor* a, int64_t dim, int64_t start, int64_t length, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::narrow(du::tensor(a, "a"), dim, start, length)); });
}

int32_t du_tensor_select(const du_tensor* a, int64_t dim, int64_t index, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::select(du::tensor(a, "a"), dim, index)); });
}

int32_t du_tensor_cat(const du_tensor* const* items, int32_t count, int64_t dim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::cat(du::tensor_list(items, count, "items"), dim)); });
}

int32_t du_tensor_stack(const du_tensor* const* items, int32_t count, int64_t dim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::stack(du::tensor_list(items, count, "items"), dim)); });
}

int32_t du_tensor_split(const du_tensor* a, int64_t split_size, int64_t dim, du_tensor*** out_items,
                        int32_t* out_count)
{
    return du::guard([&] { du::put_list(out_items, out_count, at::split(du::tensor(a, "a"), split_size, dim)); });
}

int32_t du_tensor_chunk(const du_tensor* a, int64_t chunks, int64_t dim, du_tensor*** out_items, int32_t* out_count)
{
    return du::guard([&] { du::put_list(out_items, out_count, at::chunk(du::tensor(a, "a"), chunks, dim)); });
}

int32_t du_tensor_index_select(const du_tensor* a, int64_t dim, const du_tensor* index, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::index_select(du::tensor(a, "a"), dim, du::tensor(index, "index"))); });
}

int32_t du_tensor_index_put_(du_tensor* a, const du_tensor* index, const du_tensor* values, int32_t accumulate)
{
    return du::guard([&] {
        c10::List<c10::optional<at::Tensor>> indices;
        indices.push_back(du::tensor(index, "index"));
        du::tensor_mut(a, "a").index_put_(indices, du::tensor(values, "values"), accumulate != 0);
    });
}

int32_t du_tensor_gather(const du_tensor* a, int64_t dim, const du_tensor* index, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::gather(du::tensor(a, "a"), dim, du::tensor(index, "index"))); });
}

int32_t du_tensor_scatter(const du_tensor* a, int64_t dim, const du_tensor* index, const du_tensor* src,
                          du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::scatter(du::tensor(a, "a"), dim, du::tensor(index, "index"), du::tensor(src, "src")));
    });
}

int32_t du_tensor_scatter_value(const du_tensor* a, int64_t dim, const du_tensor* index, double value,
                                du_tensor** out)
{
    return du::guard([&] { du::put(out, at::scatter(du::tensor(a, "a"), dim, du::tensor(index, "index"), du::scalar(value, du::tensor(a, "a").scalar_type()))); });
}

int32_t du_tensor_scatter_add(const du_tensor* a, int64_t dim, const du_tensor* index, const du_tensor* src,
                              du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::scatter_add(du::tensor(a, "a"), dim, du::tensor(index, "index"), du::tensor(src, "src")));
    });
}

int32_t du_tensor_masked_fill(const du_tensor* a, const du_tensor* mask, double value, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::masked_fill(du::tensor(a, "a"), du::tensor(mask, "mask"), du::scalar(value, du::tensor(a, "a").scalar_type()))); });
}

int32_t du_tensor_masked_fill_(du_tensor* a, const du_tensor* mask, double value)
{
    return du::guard([&] { du::tensor_mut(a, "a").masked_fill_(du::tensor(mask, "mask"), du::scalar(value, du::tensor(a, "a").scalar_type())); });
}

int32_t du_tensor_masked_select(const du_tensor* a, const du_tensor* mask, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::masked_select(du::tensor(a, "a"), du::tensor(mask, "mask"))); });
}

int32_t du_tensor_nonzero(const du_tensor* a, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::nonzero(du::tensor(a, "a"))); });
}

int32_t du_tensor_pad(const du_tensor* a, const int64_t* pad, int32_t npad, double value, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::constant_pad_nd(du::tensor(a, "a"), du::int_array(pad, npad, "pad"), value));
    });
}

int32_t du_tensor_to(const du_tensor* a, int32_t device_type, int32_t device_index, int32_t dtype, int32_t copy,
                     du_tensor** out)
{
    return du::guard([&] {
        du::put(out, du::tensor(a, "a").to(du::device(device_type, device_index), du::scalar_type(dtype),
                                           /*non_blocking=*/false, copy != 0));
    });
}

} // extern "C"
