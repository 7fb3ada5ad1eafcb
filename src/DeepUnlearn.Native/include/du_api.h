/*
 * du_api.h — the whole C ABI of DeepUnlearn's libtorch shim (libdu_native).
 *
 * Conventions (see STYLE.md, "Native shim"):
 *  - Opaque handles only; fixed-width integer types, double, and UTF-8 `const char*`.
 *  - Every fallible export returns an int32_t status (DU_OK on success) and writes its results to
 *    out-params. On failure the out-params are left untouched and du_last_error() describes the
 *    problem (libtorch's message, without the C++ backtrace). No C++ exception crosses this ABI.
 *  - Ownership: a `du_tensor**` out-param receives a new, owned reference that the caller releases
 *    with du_tensor_free(); every other tensor argument is borrowed for the duration of the call.
 *    du_tensor_free(NULL) is a no-op. A `du_tensor**` result may be NULL with DU_OK when the
 *    answer is "no tensor" (an undefined gradient); that is never how an error is reported.
 *  - Tensor lists passed in are (pointer array, count) pairs of borrowed handles. Tensor lists
 *    returned are written to a native array allocated by the shim (`du_tensor*** out_items`,
 *    `int32_t* out_count`); the caller owns each tensor and releases the array itself with
 *    du_tensor_list_free().
 *  - Devices are (device_type, device_index) pairs: DU_DEVICE_CPU / DU_DEVICE_CUDA, index -1 for
 *    "the current device". Dtypes are the DU_* codes below (equal to c10::ScalarType values).
 *  - Reductions take a `reduction` code: DU_REDUCTION_NONE, DU_REDUCTION_MEAN, DU_REDUCTION_SUM.
 *  - Random creation ops take an optional generator (NULL = libtorch's default generator).
 *    Generators are CPU generators; on another device the values are drawn on the CPU and moved,
 *    so a seed gives the same numbers on every device.
 *
 * Only libtorch API present in both 1.13 and 2.x is used, so the shim builds against Debian's CPU
 * libtorch and against official CUDA builds alike.
 */
#ifndef DU_API_H
#define DU_API_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define DU_EXPORT __declspec(dllexport)
#else
#define DU_EXPORT __attribute__((visibility("default")))
#endif

typedef struct du_tensor du_tensor;
typedef struct du_generator du_generator;

/* Status codes. */
#define DU_OK 0
#define DU_ERR_TORCH 1    /* libtorch raised c10::Error (shape mismatch, bad dtype, ...). */
#define DU_ERR_OOM 2      /* out of memory, host or device. */
#define DU_ERR_ARGUMENT 3 /* the shim rejected an argument (NULL handle, bad code, short buffer). */
#define DU_ERR_IO 4       /* a file could not be read or decoded. */
#define DU_ERR_UNKNOWN 5  /* any other C++ exception. */

/* Dtype codes (values of c10::ScalarType). */
#define DU_UINT8 0
#define DU_INT32 3
#define DU_INT64 4
#define DU_FLOAT16 5
#define DU_FLOAT32 6
#define DU_FLOAT64 7
#define DU_BOOL 11
#define DU_BFLOAT16 15

/* Device types (values of c10::DeviceType). */
#define DU_DEVICE_CPU 0
#define DU_DEVICE_CUDA 1

/* Loss reductions (values of at::Reduction). */
#define DU_REDUCTION_NONE 0
#define DU_REDUCTION_MEAN 1
#define DU_REDUCTION_SUM 2

/* ---------------------------------------------------------------------------------------------
 * Errors and runtime (runtime.cpp)
 * ------------------------------------------------------------------------------------------- */

/* The message of the last failed call on this thread. The buffer is thread-local and owned by the
 * shim; it stays valid until the next failing call on the same thread. Never NULL. */
DU_EXPORT const char* du_last_error(void);

/* libtorch's version string ("1.13.1"). Static storage. */
DU_EXPORT const char* du_torch_version(void);

/* Sets / reads libtorch's intra-op thread count. Fails for n < 1. */
DU_EXPORT int32_t du_set_num_threads(int32_t n);
DU_EXPORT int32_t du_get_num_threads(int32_t* out_n);

/* CUDA availability and device count (0 on a CPU-only libtorch). Never fail. */
DU_EXPORT int32_t du_cuda_is_available(int32_t* out_available);
DU_EXPORT int32_t du_cuda_device_count(int32_t* out_count);

/* Seeds libtorch's default generators (CPU and every CUDA device). */
DU_EXPORT int32_t du_manual_seed(uint64_t seed);

/* ---------------------------------------------------------------------------------------------
 * Tensor lifecycle and metadata (tensor.cpp)
 * ------------------------------------------------------------------------------------------- */

/* Releases an owned reference. NULL is a no-op. */
DU_EXPORT void du_tensor_free(du_tensor* t);

/* Frees an array returned through a `du_tensor*** out_items` out-param (not the tensors in it). */
DU_EXPORT void du_tensor_list_free(du_tensor** items);

DU_EXPORT int32_t du_tensor_ndim(const du_tensor* t, int32_t* out_ndim);
/* Writes ndim sizes into `out_sizes` (capacity `cap`); DU_ERR_ARGUMENT when cap < ndim. */
DU_EXPORT int32_t du_tensor_sizes(const du_tensor* t, int64_t* out_sizes, int32_t cap);
DU_EXPORT int32_t du_tensor_strides(const du_tensor* t, int64_t* out_strides, int32_t cap);
DU_EXPORT int32_t du_tensor_numel(const du_tensor* t, int64_t* out_numel);
DU_EXPORT int32_t du_tensor_dtype(const du_tensor* t, int32_t* out_dtype);
DU_EXPORT int32_t du_tensor_device(const du_tensor* t, int32_t* out_type, int32_t* out_index);
DU_EXPORT int32_t du_tensor_is_contiguous(const du_tensor* t, int32_t* out_flag);
DU_EXPORT int32_t du_tensor_requires_grad(const du_tensor* t, int32_t* out_flag);
/* Sets requires_grad in place (leaf tensors only, as in PyTorch). */
DU_EXPORT int32_t du_tensor_set_requires_grad(du_tensor* t, int32_t flag);
/* The accumulated gradient: a new reference, or NULL (with DU_OK) when none is defined. */
DU_EXPORT int32_t du_tensor_grad(const du_tensor* t, du_tensor** out);
/* Replaces the gradient with `grad` (borrowed), or clears it when `grad` is NULL. */
DU_EXPORT int32_t du_tensor_set_grad(du_tensor* t, const du_tensor* grad);
/* libtorch's printout of the tensor, in a thread-local buffer valid until the next call. */
DU_EXPORT int32_t du_tensor_to_string(const du_tensor* t, const char** out_text);
/* Makes `t` share `source`'s data (storage, shape, dtype and device) while keeping its identity and
 * autograd-leaf status, as PyTorch's `param.data = source` (how modules move between devices). */
DU_EXPORT int32_t du_tensor_set_data(du_tensor* t, const du_tensor* source);
/* The single element of a one-element tensor. */
DU_EXPORT int32_t du_tensor_item_double(const du_tensor* t, double* out_value);
DU_EXPORT int32_t du_tensor_item_int64(const du_tensor* t, int64_t* out_value);

/* A new tensor holding a copy of `nbytes` bytes at `data`, laid out row-major with the given shape
 * and dtype, placed on the given device. Fails if nbytes != numel * element size. */
DU_EXPORT int32_t du_tensor_from_data(const void* data, int64_t nbytes, const int64_t* shape, int32_t ndim,
                                      int32_t dtype, int32_t device_type, int32_t device_index,
                                      du_tensor** out);
/* Copies the tensor's elements (row-major, on the CPU) into `buffer` of `nbytes` bytes. Fails if
 * nbytes != numel * element size. */
DU_EXPORT int32_t du_tensor_copy_to_buffer(const du_tensor* t, void* buffer, int64_t nbytes);

/* ---------------------------------------------------------------------------------------------
 * Creation (creation.cpp). `shape`/`ndim` give the size; dtype and device as above.
 * ------------------------------------------------------------------------------------------- */

DU_EXPORT int32_t du_tensor_empty(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type,
                                  int32_t device_index, int32_t requires_grad, du_tensor** out);
DU_EXPORT int32_t du_tensor_zeros(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type,
                                  int32_t device_index, int32_t requires_grad, du_tensor** out);
DU_EXPORT int32_t du_tensor_ones(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type,
                                 int32_t device_index, int32_t requires_grad, du_tensor** out);
DU_EXPORT int32_t du_tensor_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype,
                                 int32_t device_type, int32_t device_index, int32_t requires_grad, du_tensor** out);
DU_EXPORT int32_t du_tensor_arange(double start, double end, double step, int32_t dtype, int32_t device_type,
                                   int32_t device_index, du_tensor** out);
DU_EXPORT int32_t du_tensor_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t device_type,
                                     int32_t device_index, du_tensor** out);
DU_EXPORT int32_t du_tensor_eye(int64_t n, int64_t m, int32_t dtype, int32_t device_type, int32_t device_index,
                                du_tensor** out);
/* Uniform [0, 1). */
DU_EXPORT int32_t du_tensor_rand(const int64_t* shape, int32_t ndim, du_generator* gen, int32_t dtype,
                                 int32_t device_type, int32_t device_index, du_tensor** out);
/* Standard normal. */
DU_EXPORT int32_t du_tensor_randn(const int64_t* shape, int32_t ndim, du_generator* gen, int32_t dtype,
                                  int32_t device_type, int32_t device_index, du_tensor** out);
/* Integers uniform in [low, high). */
DU_EXPORT int32_t du_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim,
                                    du_generator* gen, int32_t dtype, int32_t device_type, int32_t device_index,
                                    du_tensor** out);
/* A random permutation of 0..n-1 (int64). */
DU_EXPORT int32_t du_tensor_randperm(int64_t n, du_generator* gen, int32_t device_type, int32_t device_index,
                                     du_tensor** out);
/* In-place fills: uniform [low, high) and normal(mean, std). */
DU_EXPORT int32_t du_tensor_uniform_(du_tensor* t, double low, double high, du_generator* gen);
DU_EXPORT int32_t du_tensor_normal_(du_tensor* t, double mean, double std, du_generator* gen);
/* Bernoulli(p) samples with the shape, dtype and device of `t`. */
DU_EXPORT int32_t du_tensor_bernoulli(const du_tensor* t, double p, du_generator* gen, du_tensor** out);

/* ---------------------------------------------------------------------------------------------
 * Random generators (creation.cpp). CPU generators (see the note at the top).
 * ------------------------------------------------------------------------------------------- */

DU_EXPORT int32_t du_generator_new(uint64_t seed, du_generator** out);
DU_EXPORT void du_generator_free(du_generator* gen);
DU_EXPORT int32_t du_generator_set_seed(du_generator* gen, uint64_t seed);
/* The generator's full state as a new uint8 tensor (gen NULL = the default CPU generator). */
DU_EXPORT int32_t du_generator_get_state(du_generator* gen, du_tensor** out_state);
/* Restores a state produced by du_generator_get_state (gen NULL = the default CPU generator). */
DU_EXPORT int32_t du_generator_set_state(du_generator* gen, const du_tensor* state);

/* ---------------------------------------------------------------------------------------------
 * Elementwise, reductions, shapes (ops.cpp). One export per operation; `_` suffix = in place on
 * the first argument (which is then not const). Binary ops broadcast as in PyTorch.
 * ------------------------------------------------------------------------------------------- */

/* Unary: out = op(a). */
#define DU_UNARY_OPS(X) \
    X(neg) X(abs) X(exp) X(log) X(log1p) X(expm1) X(sqrt) X(rsqrt) X(sign) X(sin) X(cos) X(tanh) \
    X(sigmoid) X(relu) X(floor) X(ceil) X(round) X(square) X(reciprocal) X(erf) X(logical_not) \
    X(isnan) X(isinf) X(isfinite) X(contiguous) X(clone) X(detach) X(t) X(silu)
/* Unary in place: a = op(a). */
#define DU_UNARY_INPLACE_OPS(X) \
    X(neg_) X(abs_) X(exp_) X(log_) X(sqrt_) X(sign_) X(relu_) X(sigmoid_) X(tanh_) X(zero_) \
    X(floor_) X(round_) X(square_) X(reciprocal_) X(detach_)
/* Binary: out = op(a, b). */
#define DU_BINARY_OPS(X) \
    X(mul) X(div) X(pow) X(maximum) X(minimum) X(remainder) X(eq) X(ne) X(lt) X(le) X(gt) X(ge) \
    X(logical_and) X(logical_or) X(logical_xor) X(matmul) X(mm) X(bmm) X(outer) X(dot) X(atan2)
/* Binary in place: a = op(a, b). */
#define DU_BINARY_INPLACE_OPS(X) X(mul_) X(div_) X(pow_) X(copy_) X(maximum_) X(minimum_)
/* With a scalar: out = op(a, s). Scalars cross the ABI as doubles; for integer and bool tensors an
 * integral value acts as an integer scalar (as a Python int literal does), so int64 * 2 stays int64,
 * while int64 * 0.5 promotes to float32. The same holds for `alpha` of add/sub and clamp bounds. */
#define DU_SCALAR_OPS(X) \
    X(add_scalar) X(sub_scalar) X(mul_scalar) X(div_scalar) X(pow_scalar) X(remainder_scalar) \
    X(eq_scalar) X(ne_scalar) X(lt_scalar) X(le_scalar) X(gt_scalar) X(ge_scalar) X(rsub_scalar) \
    X(rdiv_scalar) X(rpow_scalar) X(fill_like)
/* With a scalar, in place: a = op(a, s). */
#define DU_SCALAR_INPLACE_OPS(X) \
    X(add_scalar_) X(sub_scalar_) X(mul_scalar_) X(div_scalar_) X(pow_scalar_) X(fill_)

#define DU_DECLARE_UNARY(name) DU_EXPORT int32_t du_tensor_##name(const du_tensor* a, du_tensor** out);
#define DU_DECLARE_UNARY_INPLACE(name) DU_EXPORT int32_t du_tensor_##name(du_tensor* a);
#define DU_DECLARE_BINARY(name) \
    DU_EXPORT int32_t du_tensor_##name(const du_tensor* a, const du_tensor* b, du_tensor** out);
#define DU_DECLARE_BINARY_INPLACE(name) DU_EXPORT int32_t du_tensor_##name(du_tensor* a, const du_tensor* b);
#define DU_DECLARE_SCALAR(name) DU_EXPORT int32_t du_tensor_##name(const du_tensor* a, double s, du_tensor** out);
#define DU_DECLARE_SCALAR_INPLACE(name) DU_EXPORT int32_t du_tensor_##name(du_tensor* a, double s);

DU_UNARY_OPS(DU_DECLARE_UNARY)
DU_UNARY_INPLACE_OPS(DU_DECLARE_UNARY_INPLACE)
DU_BINARY_OPS(DU_DECLARE_BINARY)
DU_BINARY_INPLACE_OPS(DU_DECLARE_BINARY_INPLACE)
DU_SCALAR_OPS(DU_DECLARE_SCALAR)
DU_SCALAR_INPLACE_OPS(DU_DECLARE_SCALAR_INPLACE)

/* out = a + alpha * b, out = a - alpha * b, and their in-place forms. */
DU_EXPORT int32_t du_tensor_add(const du_tensor* a, const du_tensor* b, double alpha, du_tensor** out);
DU_EXPORT int32_t du_tensor_sub(const du_tensor* a, const du_tensor* b, double alpha, du_tensor** out);
DU_EXPORT int32_t du_tensor_add_(du_tensor* a, const du_tensor* b, double alpha);
DU_EXPORT int32_t du_tensor_sub_(du_tensor* a, const du_tensor* b, double alpha);
/* out = a + value * t1 * t2 ; out = a + value * t1 / t2 ; and in place. */
DU_EXPORT int32_t du_tensor_addcmul(const du_tensor* a, const du_tensor* t1, const du_tensor* t2, double value,
                                    du_tensor** out);
DU_EXPORT int32_t du_tensor_addcdiv(const du_tensor* a, const du_tensor* t1, const du_tensor* t2, double value,
                                    du_tensor** out);
DU_EXPORT int32_t du_tensor_addcmul_(du_tensor* a, const du_tensor* t1, const du_tensor* t2, double value);
DU_EXPORT int32_t du_tensor_addcdiv_(du_tensor* a, const du_tensor* t1, const du_tensor* t2, double value);
/* a + weight * (end - a), in place. */
DU_EXPORT int32_t du_tensor_lerp_(du_tensor* a, const du_tensor* end, double weight);
/* beta * a + alpha * (m1 @ m2). */
DU_EXPORT int32_t du_tensor_addmm(const du_tensor* a, const du_tensor* m1, const du_tensor* m2, double beta,
                                  double alpha, du_tensor** out);
/* where(cond, a, b). */
DU_EXPORT int32_t du_tensor_where(const du_tensor* cond, const du_tensor* a, const du_tensor* b, du_tensor** out);
/* clamp to [min, max]; has_min / has_max = 0 leaves that side open. */
DU_EXPORT int32_t du_tensor_clamp(const du_tensor* a, int32_t has_min, double min, int32_t has_max, double max,
                                  du_tensor** out);
DU_EXPORT int32_t du_tensor_clamp_(du_tensor* a, int32_t has_min, double min, int32_t has_max, double max);
DU_EXPORT int32_t du_tensor_leaky_relu(const du_tensor* a, double negative_slope, du_tensor** out);
/* approximate: 0 = exact (erf), 1 = tanh approximation. */
DU_EXPORT int32_t du_tensor_gelu(const du_tensor* a, int32_t approximate, du_tensor** out);

/* Reductions. `dims`/`ndims` = the dims to reduce (ndims 0 = all dims). */
DU_EXPORT int32_t du_tensor_sum(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t keepdim,
                                du_tensor** out);
DU_EXPORT int32_t du_tensor_mean(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t keepdim,
                                 du_tensor** out);
DU_EXPORT int32_t du_tensor_prod(const du_tensor* a, int64_t dim, int32_t keepdim, du_tensor** out);
/* p-norm (p = 2 Euclidean, INFINITY = max-abs) over dims. */
DU_EXPORT int32_t du_tensor_norm(const du_tensor* a, double p, const int64_t* dims, int32_t ndims, int32_t keepdim,
                                 du_tensor** out);
DU_EXPORT int32_t du_tensor_var(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t unbiased,
                                int32_t keepdim, du_tensor** out);
DU_EXPORT int32_t du_tensor_std(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t unbiased,
                                int32_t keepdim, du_tensor** out);
DU_EXPORT int32_t du_tensor_logsumexp(const du_tensor* a, const int64_t* dims, int32_t ndims, int32_t keepdim,
                                      du_tensor** out);
/* Max / min of all elements. */
DU_EXPORT int32_t du_tensor_max_all(const du_tensor* a, du_tensor** out);
DU_EXPORT int32_t du_tensor_min_all(const du_tensor* a, du_tensor** out);
/* Max / min along a dim: values and int64 indices. */
DU_EXPORT int32_t du_tensor_max_dim(const du_tensor* a, int64_t dim, int32_t keepdim, du_tensor** out_values,
                                    du_tensor** out_indices);
DU_EXPORT int32_t du_tensor_min_dim(const du_tensor* a, int64_t dim, int32_t keepdim, du_tensor** out_values,
                                    du_tensor** out_indices);
/* argmax / argmin along dim; has_dim = 0 flattens first. */
DU_EXPORT int32_t du_tensor_argmax(const du_tensor* a, int32_t has_dim, int64_t dim, int32_t keepdim,
                                   du_tensor** out);
DU_EXPORT int32_t du_tensor_argmin(const du_tensor* a, int32_t has_dim, int64_t dim, int32_t keepdim,
                                   du_tensor** out);
/* any / all over all elements (bool). */
DU_EXPORT int32_t du_tensor_any(const du_tensor* a, du_tensor** out);
DU_EXPORT int32_t du_tensor_all(const du_tensor* a, du_tensor** out);
DU_EXPORT int32_t du_tensor_cumsum(const du_tensor* a, int64_t dim, du_tensor** out);
/* k largest (largest = 1) or smallest along dim, sorted. */
DU_EXPORT int32_t du_tensor_topk(const du_tensor* a, int64_t k, int64_t dim, int32_t largest, du_tensor** out_values,
                                 du_tensor** out_indices);
DU_EXPORT int32_t du_tensor_sort(const du_tensor* a, int64_t dim, int32_t descending, du_tensor** out_values,
                                 du_tensor** out_indices);

/* Shapes and indexing. */
DU_EXPORT int32_t du_tensor_reshape(const du_tensor* a, const int64_t* shape, int32_t ndim, du_tensor** out);
DU_EXPORT int32_t du_tensor_view(const du_tensor* a, const int64_t* shape, int32_t ndim, du_tensor** out);
DU_EXPORT int32_t du_tensor_expand(const du_tensor* a, const int64_t* shape, int32_t ndim, du_tensor** out);
DU_EXPORT int32_t du_tensor_repeat(const du_tensor* a, const int64_t* repeats, int32_t ndim, du_tensor** out);
DU_EXPORT int32_t du_tensor_permute(const du_tensor* a, const int64_t* dims, int32_t ndim, du_tensor** out);
DU_EXPORT int32_t du_tensor_flip(const du_tensor* a, const int64_t* dims, int32_t ndim, du_tensor** out);
DU_EXPORT int32_t du_tensor_transpose(const du_tensor* a, int64_t dim0, int64_t dim1, du_tensor** out);
DU_EXPORT int32_t du_tensor_flatten(const du_tensor* a, int64_t start_dim, int64_t end_dim, du_tensor** out);
/* has_dim = 0 removes every size-1 dim. */
DU_EXPORT int32_t du_tensor_squeeze(const du_tensor* a, int32_t has_dim, int64_t dim, du_tensor** out);
DU_EXPORT int32_t du_tensor_unsqueeze(const du_tensor* a, int64_t dim, du_tensor** out);
DU_EXPORT int32_t du_tensor_narrow(const du_tensor* a, int64_t dim, int64_t start, int64_t length, du_tensor** out);
DU_EXPORT int32_t du_tensor_select(const du_tensor* a, int64_t dim, int64_t index, du_tensor** out);
DU_EXPORT int32_t du_tensor_cat(const du_tensor* const* items, int32_t count, int64_t dim, du_tensor** out);
DU_EXPORT int32_t du_tensor_stack(const du_tensor* const* items, int32_t count, int64_t dim, du_tensor** out);
/* Pieces of `split_size` along dim (the last may be smaller). */
DU_EXPORT int32_t du_tensor_split(const du_tensor* a, int64_t split_size, int64_t dim, du_tensor*** out_items,
                                  int32_t* out_count);
DU_EXPORT int32_t du_tensor_chunk(const du_tensor* a, int64_t chunks, int64_t dim, du_tensor*** out_items,
                                  int32_t* out_count);
DU_EXPORT int32_t du_tensor_index_select(const du_tensor* a, int64_t dim, const du_tensor* index, du_tensor** out);
/* a[index] along dim 0 for rows where `values` go: out = a with rows `index` set to `values`. */
DU_EXPORT int32_t du_tensor_index_put_(du_tensor* a, const du_tensor* index, const du_tensor* values,
                                       int32_t accumulate);
DU_EXPORT int32_t du_tensor_gather(const du_tensor* a, int64_t dim, const du_tensor* index, du_tensor** out);
DU_EXPORT int32_t du_tensor_scatter(const du_tensor* a, int64_t dim, const du_tensor* index, const du_tensor* src,
                                    du_tensor** out);
DU_EXPORT int32_t du_tensor_scatter_value(const du_tensor* a, int64_t dim, const du_tensor* index, double value,
                                          du_tensor** out);
DU_EXPORT int32_t du_tensor_scatter_add(const du_tensor* a, int64_t dim, const du_tensor* index,
                                        const du_tensor* src, du_tensor** out);
DU_EXPORT int32_t du_tensor_masked_fill(const du_tensor* a, const du_tensor* mask, double value, du_tensor** out);
DU_EXPORT int32_t du_tensor_masked_fill_(du_tensor* a, const du_tensor* mask, double value);
DU_EXPORT int32_t du_tensor_masked_select(const du_tensor* a, const du_tensor* mask, du_tensor** out);
/* Indices of the non-zero elements, shape [n, ndim]. */
DU_EXPORT int32_t du_tensor_nonzero(const du_tensor* a, du_tensor** out);
/* Constant padding: `pad` holds (left, right) pairs starting from the last dim, as torch.nn.functional.pad. */
DU_EXPORT int32_t du_tensor_pad(const du_tensor* a, const int64_t* pad, int32_t npad, double value, du_tensor** out);

/* Conversion. copy = 1 forces a copy even when nothing changes. */
DU_EXPORT int32_t du_tensor_to(const du_tensor* a, int32_t device_type, int32_t device_index, int32_t dtype,
                               int32_t copy, du_tensor** out);

/* ---------------------------------------------------------------------------------------------
 * Neural-network functions (nn.cpp). Optional tensors may be NULL. 2-element arrays are (h, w).
 * ------------------------------------------------------------------------------------------- */

DU_EXPORT int32_t du_nn_linear(const du_tensor* input, const du_tensor* weight, const du_tensor* bias,
                               du_tensor** out);
DU_EXPORT int32_t du_nn_conv2d(const du_tensor* input, const du_tensor* weight, const du_tensor* bias,
                               const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups,
                               du_tensor** out);
DU_EXPORT int32_t du_nn_max_pool2d(const du_tensor* input, const int64_t* kernel, const int64_t* stride,
                                   const int64_t* padding, const int64_t* dilation, int32_t ceil_mode,
                                   du_tensor** out);
DU_EXPORT int32_t du_nn_avg_pool2d(const du_tensor* input, const int64_t* kernel, const int64_t* stride,
                                   const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad,
                                   du_tensor** out);
DU_EXPORT int32_t du_nn_adaptive_avg_pool2d(const du_tensor* input, const int64_t* output_size, du_tensor** out);
/* Batch norm over dim 1. In training mode the batch statistics normalise and the running stats
 * (if given) are updated in place with `momentum`; in eval mode the running stats normalise. */
DU_EXPORT int32_t du_nn_batch_norm(const du_tensor* input, const du_tensor* weight, const du_tensor* bias,
                                   du_tensor* running_mean, du_tensor* running_var, int32_t training, double momentum,
                                   double eps, du_tensor** out);
DU_EXPORT int32_t du_nn_dropout(const du_tensor* input, double p, int32_t training, du_tensor** out);
DU_EXPORT int32_t du_nn_softmax(const du_tensor* input, int64_t dim, du_tensor** out);
DU_EXPORT int32_t du_nn_log_softmax(const du_tensor* input, int64_t dim, du_tensor** out);
/* Cross entropy over logits [N, C]: `target` int64 class indices [N] or probabilities [N, C]. */
DU_EXPORT int32_t du_nn_cross_entropy(const du_tensor* input, const du_tensor* target, const du_tensor* weight,
                                      int32_t reduction, int64_t ignore_index, double label_smoothing,
                                      du_tensor** out);
DU_EXPORT int32_t du_nn_nll_loss(const du_tensor* input, const du_tensor* target, const du_tensor* weight,
                                 int32_t reduction, int64_t ignore_index, du_tensor** out);
/* KL(target || input) with `input` log-probabilities, PyTorch's kl_div ("batchmean" = SUM / N in C#). */
DU_EXPORT int32_t du_nn_kl_div(const du_tensor* input, const du_tensor* target, int32_t reduction,
                               int32_t log_target, du_tensor** out);
DU_EXPORT int32_t du_nn_mse_loss(const du_tensor* input, const du_tensor* target, int32_t reduction,
                                 du_tensor** out);
DU_EXPORT int32_t du_nn_binary_cross_entropy_with_logits(const du_tensor* input, const du_tensor* target,
                                                         int32_t reduction, du_tensor** out);
/* im2col: [N, C, H, W] -> [N, C*kh*kw, L]. */
DU_EXPORT int32_t du_nn_unfold(const du_tensor* input, const int64_t* kernel, const int64_t* dilation,
                               const int64_t* padding, const int64_t* stride, du_tensor** out);
DU_EXPORT int32_t du_nn_one_hot(const du_tensor* indices, int64_t num_classes, du_tensor** out);
/* Bilinear resize of [N, C, H, W] to `size` (align_corners = 0, optional antialias ignored on 1.13). */
DU_EXPORT int32_t du_nn_interpolate_bilinear(const du_tensor* input, const int64_t* size, du_tensor** out);

/* ---------------------------------------------------------------------------------------------
 * Linear algebra (linalg.cpp). Batched where libtorch is.
 * ------------------------------------------------------------------------------------------- */

DU_EXPORT int32_t du_linalg_svd(const du_tensor* a, int32_t full_matrices, du_tensor** out_u, du_tensor** out_s,
                                du_tensor** out_vh);
/* Eigen-decomposition of a symmetric matrix (lower triangle), ascending eigenvalues. */
DU_EXPORT int32_t du_linalg_eigh(const du_tensor* a, du_tensor** out_eigenvalues, du_tensor** out_eigenvectors);
/* mode: 0 = reduced, 1 = complete. */
DU_EXPORT int32_t du_linalg_qr(const du_tensor* a, int32_t mode, du_tensor** out_q, du_tensor** out_r);
DU_EXPORT int32_t du_linalg_cholesky(const du_tensor* a, int32_t upper, du_tensor** out);
/* Solves a @ x = b. */
DU_EXPORT int32_t du_linalg_solve(const du_tensor* a, const du_tensor* b, du_tensor** out);
DU_EXPORT int32_t du_linalg_inv(const du_tensor* a, du_tensor** out);
DU_EXPORT int32_t du_linalg_pinv(const du_tensor* a, int32_t hermitian, du_tensor** out);

/* ---------------------------------------------------------------------------------------------
 * Autograd (autograd.cpp)
 * ------------------------------------------------------------------------------------------- */

/* Backpropagates from `t` (scalar unless `grad` is given), accumulating into leaves' .grad. */
DU_EXPORT int32_t du_autograd_backward(const du_tensor* t, const du_tensor* grad, int32_t retain_graph,
                                       int32_t create_graph);
/* d(outputs)/d(inputs) weighted by grad_outputs (NULL = ones). Results in a new array of `input_count`
 * tensors; an input that does not affect the outputs gets NULL when allow_unused = 1. */
DU_EXPORT int32_t du_autograd_grad(const du_tensor* const* outputs, int32_t output_count,
                                   const du_tensor* const* inputs, int32_t input_count,
                                   const du_tensor* const* grad_outputs, int32_t retain_graph, int32_t create_graph,
                                   int32_t allow_unused, du_tensor*** out_items, int32_t* out_count);
/* Thread-local grad mode: sets it and reports the previous value. */
DU_EXPORT int32_t du_autograd_set_grad_enabled(int32_t enabled, int32_t* out_previous);
DU_EXPORT int32_t du_autograd_is_grad_enabled(int32_t* out_enabled);

/* ---------------------------------------------------------------------------------------------
 * Support-vector classification through libsvm (svm.cpp)
 * ------------------------------------------------------------------------------------------- */

/* Trains a binary C-SVC with an RBF kernel exp(-gamma·|x - x'|²) on `n_train` row-major rows of
 * `n_features` doubles with labels 0/1 (sklearn.svm.SVC's defaults otherwise: tol 1e-3, shrinking),
 * then predicts `n_test` rows of `x_test`: labels into `out_labels` (caller-allocated, n_test values)
 * and, when `out_decision` is not NULL, decision values (positive = class 1). All buffers are
 * borrowed. Fails with DU_ERR_ARGUMENT for labels other than 0/1, a missing class, bad sizes or
 * parameters libsvm rejects. */
DU_EXPORT int32_t du_svm_rbf_fit_predict(const double* x_train, const int32_t* y_train, int64_t n_train,
                                         int64_t n_features, double c, double gamma, const double* x_test,
                                         int64_t n_test, int32_t* out_labels, double* out_decision);

/* ---------------------------------------------------------------------------------------------
 * Images (image.cpp): JPEG through libjpeg-turbo (TurboJPEG API), PNG through libpng.
 * An image is a uint8 CPU tensor [C, H, W] with C = 1 (gray) or 3 (RGB), 8 bits per sample.
 * Decoding converts as PIL's Image.convert does for torchvision's ImageFolder: alpha channels (and
 * tRNS transparency) are dropped, palettes expanded, 16-bit samples cut to their high byte, gray
 * expanded to RGB by replication, RGB reduced to gray with ITU-R 601-2 luma (299/587/114), and
 * CMYK/YCCK JPEGs converted to RGB with Pillow's formula (inks inverted when an Adobe marker says
 * so). The format is recognised by its magic bytes.
 * ------------------------------------------------------------------------------------------- */

/* Channel requests for decoding. */
#define DU_IMAGE_KEEP 0 /* 1 for gray files, 3 for everything else */
#define DU_IMAGE_GRAY 1
#define DU_IMAGE_RGB 3

/* Decodes a JPEG or PNG held in memory (`data`, `nbytes` bytes, borrowed) into a new owned tensor
 * [C, H, W] with C chosen by `channels` (DU_IMAGE_*). Fails with DU_ERR_IO when the bytes are not a
 * JPEG or PNG, or are truncated or corrupt (the message says which and what libjpeg/libpng
 * reported); DU_ERR_ARGUMENT for a NULL pointer or an unknown channel request. Benign JPEG warnings
 * (extraneous bytes) are tolerated; premature end of data is not. Thread-safe. */
DU_EXPORT int32_t du_image_decode(const uint8_t* data, int64_t nbytes, int32_t channels, du_tensor** out);

/* As du_image_decode, reading the file at `path` (UTF-8). DU_ERR_IO when the file cannot be opened
 * or read, or does not decode; every such message starts with the path. Thread-safe. */
DU_EXPORT int32_t du_image_read_file(const char* path, int32_t channels, du_tensor** out);

/* Encodes `image` (borrowed uint8 [C, H, W], C = 1 or 3, any device) as a PNG file image: a new
 * owned 1-D uint8 tensor holding the file's bytes. Lossless. DU_ERR_ARGUMENT for another dtype or
 * shape. */
DU_EXPORT int32_t du_image_encode_png(const du_tensor* image, du_tensor** out);

/* Encodes `image` (as above) as a baseline JPEG with `quality` in 1..100 and no chroma subsampling
 * (4:4:4), into a new owned 1-D uint8 tensor. DU_ERR_ARGUMENT for a bad image or quality. */
DU_EXPORT int32_t du_image_encode_jpeg(const du_tensor* image, int32_t quality, du_tensor** out);

#ifdef __cplusplus
}
#endif

#endif /* DU_API_H */
