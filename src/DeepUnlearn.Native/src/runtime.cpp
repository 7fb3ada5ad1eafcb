// Errors, versions, threads, devices and the default seed.
#include "common.h"

#include <cstdlib>
#include <cstring>

namespace
{
thread_local std::string t_last_error = "no error";
}

namespace du
{
void set_last_error(const char* message) noexcept
{
    try
    {
        t_last_error = message != nullptr ? message : "unknown error";
    }
    catch (...)
    {
        // Assigning can only fail for lack of memory; keep the previous message rather than throw.
    }
}

void put_list(du_tensor*** out_items, int32_t* out_count, const std::vector<at::Tensor>& values)
{
    check_out(out_items, "out_items");
    check_out(out_count, "out_count");
    auto** items = static_cast<du_tensor**>(std::calloc(values.size() + 1, sizeof(du_tensor*)));
    if (items == nullptr)
    {
        throw std::bad_alloc();
    }
    for (size_t i = 0; i < values.size(); ++i)
    {
        items[i] = values[i].defined() ? new du_tensor{values[i]} : nullptr;
    }
    *out_items = items;
    *out_count = static_cast<int32_t>(values.size());
}

std::vector<at::Tensor> tensor_list(const du_tensor* const* items, int32_t count, const char* name)
{
    if (count < 0 || (count > 0 && items == nullptr))
    {
        throw ArgumentError(std::string("tensor list '") + name + "' is NULL or has a negative length");
    }
    std::vector<at::Tensor> result;
    result.reserve(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i)
    {
        result.push_back(tensor(items[i], name));
    }
    return result;
}

at::ScalarType scalar_type(int32_t dtype)
{
    switch (dtype)
    {
    case DU_UINT8: return at::kByte;
    case DU_INT32: return at::kInt;
    case DU_INT64: return at::kLong;
    case DU_FLOAT16: return at::kHalf;
    case DU_FLOAT32: return at::kFloat;
    case DU_FLOAT64: return at::kDouble;
    case DU_BOOL: return at::kBool;
    case DU_BFLOAT16: return at::kBFloat16;
    default:
        throw ArgumentError("unknown dtype code " + std::to_string(dtype) +
                            " (valid: uint8=0, int32=3, int64=4, float16=5, float32=6, float64=7, bool=11, "
                            "bfloat16=15)");
    }
}

at::Device device(int32_t device_type, int32_t device_index)
{
    if (device_index < -1 || device_index > 127)
    {
        throw ArgumentError("device index " + std::to_string(device_index) + " is out of range");
    }
    switch (device_type)
    {
    case DU_DEVICE_CPU: return at::Device(at::kCPU);
    case DU_DEVICE_CUDA: return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(device_index));
    default:
        throw ArgumentError("unknown device type " + std::to_string(device_type) + " (valid: cpu=0, cuda=1)");
    }
}

at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index, int32_t requires_grad)
{
    return at::TensorOptions()
        .dtype(scalar_type(dtype))
        .device(device(device_type, device_index))
        .requires_grad(requires_grad != 0);
}

int64_t reduction(int32_t code)
{
    switch (code)
    {
    case DU_REDUCTION_NONE: return at::Reduction::None;
    case DU_REDUCTION_MEAN: return at::Reduction::Mean;
    case DU_REDUCTION_SUM: return at::Reduction::Sum;
    default:
        throw ArgumentError("unknown reduction code " + std::to_string(code) + " (valid: none=0, mean=1, sum=2)");
    }
}
} // namespace du

static_assert(static_cast<int>(at::kByte) == DU_UINT8, "dtype codes must equal c10::ScalarType");
static_assert(static_cast<int>(at::kInt) == DU_INT32, "dtype codes must equal c10::ScalarType");
static_assert(static_cast<int>(at::kLong) == DU_INT64, "dtype codes must equal c10::ScalarType");
static_assert(static_cast<int>(at::kHalf) == DU_FLOAT16, "dtype codes must equal c10::ScalarType");
static_assert(static_cast<int>(at::kFloat) == DU_FLOAT32, "dtype codes must equal c10::ScalarType");
static_assert(static_cast<int>(at::kDouble) == DU_FLOAT64, "dtype codes must equal c10::ScalarType");
static_assert(static_cast<int>(at::kBool) == DU_BOOL, "dtype codes must equal c10::ScalarType");
static_assert(static_cast<int>(at::kBFloat16) == DU_BFLOAT16, "dtype codes must equal c10::ScalarType");

extern "C" {

const char* du_last_error(void)
{
    return t_last_error.c_str();
}

const char* du_torch_version(void)
{
    return TORCH_VERSION;
}

int32_t du_set_num_threads(int32_t n)
{
    return du::guard([&] {
        if (n < 1)
        {
            throw du::ArgumentError("thread count must be at least 1, got " + std::to_string(n));
        }
        at::set_num_threads(n);
    });
}

int32_t du_get_num_threads(int32_t* out_n)
{
    return du::guard([&] {
        du::check_out(out_n, "out_n");
        *out_n = static_cast<int32_t>(at::get_num_threads());
    });
}

int32_t du_cuda_is_available(int32_t* out_available)
{
    return du::guard([&] {
        du::check_out(out_available, "out_available");
        *out_available = torch::cuda::is_available() ? 1 : 0;
    });
}

int32_t du_cuda_device_count(int32_t* out_count)
{
    return du::guard([&] {
        du::check_out(out_count, "out_count");
        *out_count = static_cast<int32_t>(torch::cuda::device_count());
    });
}

int32_t du_manual_seed(uint64_t seed)
{
    return du::guard([&] { torch::manual_seed(seed); });
}

} // extern "C"
