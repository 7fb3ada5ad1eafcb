// Internal helpers shared by the shim's translation units: the handle types, the error guard and
// argument conversions. Nothing here is exported.
#pragma once

#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "du_api.h"

// A tensor handle owns one reference to an at::Tensor.
struct du_tensor
{
    at::Tensor t;
};

// A generator handle owns one at::Generator (a CPU generator).
struct du_generator
{
    at::Generator g;
};

namespace du
{
// Raised by the shim itself for invalid arguments; reported as DU_ERR_ARGUMENT.
class ArgumentError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Raised for unreadable or undecodable files; reported as DU_ERR_IO.
class IoError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

void set_last_error(const char* message) noexcept;

// Runs `body`, translating every exception into a status code and the thread-local message.
template <class F>
int32_t guard(F&& body) noexcept
{
    try
    {
        body();
        return DU_OK;
    }
    catch (const c10::OutOfMemoryError& e)
    {
        set_last_error(e.what_without_backtrace());
        return DU_ERR_OOM;
    }
    catch (const c10::Error& e)
    {
        set_last_error(e.what_without_backtrace());
        return DU_ERR_TORCH;
    }
    catch (const ArgumentError& e)
    {
        set_last_error(e.what());
        return DU_ERR_ARGUMENT;
    }
    catch (const IoError& e)
    {
        set_last_error(e.what());
        return DU_ERR_IO;
    }
    catch (const std::bad_alloc&)
    {
        set_last_error("out of memory (std::bad_alloc)");
        return DU_ERR_OOM;
    }
    catch (const std::exception& e)
    {
        set_last_error(e.what());
        return DU_ERR_UNKNOWN;
    }
    catch (...)
    {
        set_last_error("unknown C++ exception in the native shim");
        return DU_ERR_UNKNOWN;
    }
}

// Borrowed access to a handle; a NULL handle is an argument error naming the parameter.
inline const at::Tensor& tensor(const du_tensor* h, const char* name = "tensor")
{
    if (h == nullptr)
    {
        throw ArgumentError(std::string("tensor argument '") + name + "' is NULL");
    }
    return h->t;
}

inline at::Tensor& tensor_mut(du_tensor* h, const char* name = "tensor")
{
    if (h == nullptr)
    {
        throw ArgumentError(std::string("tensor argument '") + name + "' is NULL");
    }
    return h->t;
}

// Optional tensor argument: NULL becomes c10::nullopt.
inline c10::optional<at::Tensor> optional_tensor(const du_tensor* h)
{
    if (h == nullptr || !h->t.defined())
    {
        return c10::nullopt;
    }
    return h->t;
}

// Writes a new owned handle to `out` (NULL when the tensor is undefined).
inline void put(du_tensor** out, at::Tensor value)
{
    if (out == nullptr)
    {
        throw ArgumentError("output pointer is NULL");
    }
    *out = value.defined() ? new du_tensor{std::move(value)} : nullptr;
}

// Writes a new native array of owned handles.
void put_list(du_tensor*** out_items, int32_t* out_count, const std::vector<at::Tensor>& values);

// Borrowed tensors from a (pointer array, count) pair.
std::vector<at::Tensor> tensor_list(const du_tensor* const* items, int32_t count, const char* name);

inline at::IntArrayRef int_array(const int64_t* values, int32_t count, const char* name)
{
    if (count < 0 || (count > 0 && values == nullptr))
    {
        throw ArgumentError(std::string("array argument '") + name + "' is NULL or has a negative length");
    }
    return at::IntArrayRef(values, static_cast<size_t>(count));
}

at::ScalarType scalar_type(int32_t dtype);

// A scalar argument of the C ABI (always a double) for an operation computed in `type`. For integer
// and bool types an integral value becomes an integer scalar, as a Python int literal would: int64 + 1
// stays int64, and alpha = 1 is accepted (libtorch rejects a floating alpha for integer tensors).
// Anything else stays a double and promotes as in PyTorch (int64 * 0.5 is float32).
inline at::Scalar scalar(double value, at::ScalarType type)
{
    if (at::isIntegralType(type, /*includeBool=*/true) && std::nearbyint(value) == value &&
        value >= -9223372036854775808.0 && value < 9223372036854775808.0)
    {
        return at::Scalar(static_cast<int64_t>(value));
    }
    return at::Scalar(value);
}
at::Device device(int32_t device_type, int32_t device_index);
at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index, int32_t requires_grad = 0);
int64_t reduction(int32_t code);

template <class T>
inline void check_out(T* out, const char* name)
{
    if (out == nullptr)
    {
        throw ArgumentError(std::string("output pointer '") + name + "' is NULL");
    }
}
} // namespace du
