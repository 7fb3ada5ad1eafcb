// Tensor lifecycle, metadata and the copy boundary to host memory.
#include "common.h"

#include <cstring>
#include <sstream>

namespace
{
thread_local std::string t_text;

int64_t expected_bytes(const at::Tensor& t)
{
    return t.numel() * static_cast<int64_t>(t.element_size());
}
} // namespace

extern "C" {

void du_tensor_free(du_tensor* t)
{
    delete t;
}

void du_tensor_list_free(du_tensor** items)
{
    std::free(items);
}

int32_t du_tensor_ndim(const du_tensor* t, int32_t* out_ndim)
{
    return du::guard([&] {
        du::check_out(out_ndim, "out_ndim");
        *out_ndim = static_cast<int32_t>(du::tensor(t).dim());
    });
}

int32_t du_tensor_sizes(const du_tensor* t, int64_t* out_sizes, int32_t cap)
{
    return du::guard([&] {
        const auto& x = du::tensor(t);
        if (cap < x.dim() || (x.dim() > 0 && out_sizes == nullptr))
        {
            throw du::ArgumentError("size buffer holds " + std::to_string(cap) + " values, tensor has " +
                                    std::to_string(x.dim()) + " dims");
        }
        for (int64_t i = 0; i < x.dim(); ++i)
        {
            out_sizes[i] = x.size(i);
        }
    });
}

int32_t du_tensor_strides(const du_tensor* t, int64_t* out_strides, int32_t cap)
{
    return du::guard([&] {
        const auto& x = du::tensor(t);
        if (cap < x.dim() || (x.dim() > 0 && out_strides == nullptr))
        {
            throw du::ArgumentError("stride buffer holds " + std::to_string(cap) + " values, tensor has " +
                                    std::to_string(x.dim()) + " dims");
        }
        for (int64_t i = 0; i < x.dim(); ++i)
        {
            out_strides[i] = x.stride(i);
        }
    });
}

int32_t du_tensor_numel(const du_tensor* t, int64_t* out_numel)
{
    return du::guard([&] {
        du::check_out(out_numel, "out_numel");
        *out_numel = du::tensor(t).numel();
    });
}

int32_t du_tensor_dtype(const du_tensor* t, int32_t* out_dtype)
{
    return du::guard([&] {
        du::check_out(out_dtype, "out_dtype");
        *out_dtype = static_cast<int32_t>(du::tensor(t).scalar_type());
    });
}

int32_t du_tensor_device(const du_tensor* t, int32_t* out_type, int32_t* out_index)
{
    return du::guard([&] {
        du::check_out(out_type, "out_type");
        du::check_out(out_index, "out_index");
        const auto d = du::tensor(t).device();
        *out_type = static_cast<int32_t>(d.type());
        *out_index = static_cast<int32_t>(d.index());
    });
}

int32_t du_tensor_is_contiguous(const du_tensor* t, int32_t* out_flag)
{
    return du::guard([&] {
        du::check_out(out_flag, "out_flag");
        *out_flag = du::tensor(t).is_contiguous() ? 1 : 0;
    });
}

int32_t du_tensor_requires_grad(const du_tensor* t, int32_t* out_flag)
{
    return du::guard([&] {
        du::check_out(out_flag, "out_flag");
        *out_flag = du::tensor(t).requires_grad() ? 1 : 0;
    });
}

int32_t du_tensor_set_requires_grad(du_tensor* t, int32_t flag)
{
    return du::guard([&] { du::tensor_mut(t).set_requires_grad(flag != 0); });
}

int32_t du_tensor_grad(const du_tensor* t, du_tensor** out)
{
    return du::guard([&] { du::put(out, du::tensor(t).grad()); });
}

int32_t du_tensor_set_grad(du_tensor* t, const du_tensor* grad)
{
    return du::guard([&] {
        auto& x = du::tensor_mut(t);
        x.mutable_grad() = grad != nullptr ? grad->t : at::Tensor();
    });
}

int32_t du_tensor_set_data(du_tensor* t, const du_tensor* source)
{
    return du::guard([&] { du::tensor_mut(t, "t").set_data(du::tensor(source, "source")); });
}

int32_t du_tensor_to_string(const du_tensor* t, const char** out_text)
{
    return du::guard([&] {
        du::check_out(out_text, "out_text");
        std::ostringstream stream;
        stream << du::tensor(t);
        t_text = stream.str();
        *out_text = t_text.c_str();
    });
}

int32_t du_tensor_item_double(const du_tensor* t, double* out_value)
{
    return du::guard([&] {
        du::check_out(out_value, "out_value");
        *out_value = du::tensor(t).item<double>();
    });
}

int32_t du_tensor_item_int64(const du_tensor* t, int64_t* out_value)
{
    return du::guard([&] {
        du::check_out(out_value, "out_value");
        *out_value = du::tensor(t).item<int64_t>();
    });
}

int32_t du_tensor_from_data(const void* data, int64_t nbytes, const int64_t* shape, int32_t ndim, int32_t dtype,
                            int32_t device_type, int32_t device_index, du_tensor** out)
{
    return du::guard([&] {
        auto sizes = du::int_array(shape, ndim, "shape");
        auto host = at::empty(sizes, at::TensorOptions().dtype(du::scalar_type(dtype)));
        if (expected_bytes(host) != nbytes)
        {
            throw du::ArgumentError("buffer holds " + std::to_string(nbytes) + " bytes, shape " +
                                    c10::str(sizes) + " of " + std::string(c10::toString(host.scalar_type())) +
                                    " needs " + std::to_string(expected_bytes(host)));
        }
        if (nbytes > 0)
        {
            if (data == nullptr)
            {
                throw du::ArgumentError("data pointer is NULL");
            }
            std::memcpy(host.data_ptr(), data, static_cast<size_t>(nbytes));
        }
        du::put(out, host.to(du::device(device_type, device_index)));
    });
}

int32_t du_tensor_copy_to_buffer(const du_tensor* t, void* buffer, int64_t nbytes)
{
    return du::guard([&] {
        const auto host = du::tensor(t).detach().to(at::kCPU).contiguous();
        if (expected_bytes(host) != nbytes)
        {
            throw du::ArgumentError("buffer holds " + std::to_string(nbytes) + " bytes, tensor needs " +
                                    std::to_string(expected_bytes(host)));
        }
        if (nbytes > 0)
        {
            if (buffer == nullptr)
            {
                throw du::ArgumentError("buffer pointer is NULL");
            }
            std::memcpy(buffer, host.data_ptr(), static_cast<size_t>(nbytes));
        }
    });
}

} // extern "C"
