// Tensor creation, random sampling and generators.
#include "common.h"

#include <ATen/CPUGeneratorImpl.h>

namespace
{
c10::optional<at::Generator> generator(du_generator* gen)
{
    if (gen == nullptr)
    {
        return c10::nullopt;
    }
    return gen->g;
}

// Random values are drawn where the generator lives (the CPU) and moved, so that a seed gives the
// same numbers on every device.
at::TensorOptions sampling_options(du_generator* gen, const at::TensorOptions& target)
{
    return gen != nullptr ? target.device(at::kCPU) : target;
}

at::Tensor place(at::Tensor t, const at::TensorOptions& target)
{
    return t.device() == target.device() ? t : t.to(target.device());
}

at::Generator& generator_or_default(du_generator* gen)
{
    return gen != nullptr ? gen->g : const_cast<at::Generator&>(at::detail::getDefaultCPUGenerator());
}
} // namespace

// The factories that take requires_grad use torch::empty/zeros/ones/full: ATen's at:: versions
// ignore requires_grad in TensorOptions and would return a tensor autograd does not track.
extern "C" {

int32_t du_tensor_empty(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index,
                        int32_t requires_grad, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, torch::empty(du::int_array(shape, ndim, "shape"),
                                  du::options(dtype, device_type, device_index, requires_grad)));
    });
}

int32_t du_tensor_zeros(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index,
                        int32_t requires_grad, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, torch::zeros(du::int_array(shape, ndim, "shape"),
                                  du::options(dtype, device_type, device_index, requires_grad)));
    });
}

int32_t du_tensor_ones(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index,
                       int32_t requires_grad, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, torch::ones(du::int_array(shape, ndim, "shape"),
                                 du::options(dtype, device_type, device_index, requires_grad)));
    });
}

int32_t du_tensor_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype, int32_t device_type,
                       int32_t device_index, int32_t requires_grad, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, torch::full(du::int_array(shape, ndim, "shape"), value,
                                 du::options(dtype, device_type, device_index, requires_grad)));
    });
}

int32_t du_tensor_arange(double start, double end, double step, int32_t dtype, int32_t device_type,
                         int32_t device_index, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::arange(start, end, step, du::options(dtype, device_type, device_index)));
    });
}

int32_t du_tensor_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t device_type,
                           int32_t device_index, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::linspace(start, end, steps, du::options(dtype, device_type, device_index)));
    });
}

int32_t du_tensor_eye(int64_t n, int64_t m, int32_t dtype, int32_t device_type, int32_t device_index,
                      du_tensor** out)
{
    return du::guard([&] { du::put(out, at::eye(n, m, du::options(dtype, device_type, device_index))); });
}

int32_t du_tensor_rand(const int64_t* shape, int32_t ndim, du_generator* gen, int32_t dtype, int32_t device_type,
                       int32_t device_index, du_tensor** out)
{
    return du::guard([&] {
        const auto target = du::options(dtype, device_type, device_index);
        du::put(out, place(at::rand(du::int_array(shape, ndim, "shape"), generator(gen), sampling_options(gen, target)),
                           target));
    });
}

int32_t du_tensor_randn(const int64_t* shape, int32_t ndim, du_generator* gen, int32_t dtype, int32_t device_type,
                        int32_t device_index, du_tensor** out)
{
    return du::guard([&] {
        const auto target = du::options(dtype, device_type, device_index);
        du::put(out, place(at::randn(du::int_array(shape, ndim, "shape"), generator(gen),
                                     sampling_options(gen, target)),
                           target));
    });
}

int32_t du_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim, du_generator* gen,
                          int32_t dtype, int32_t device_type, int32_t device_index, du_tensor** out)
{
    return du::guard([&] {
        const auto target = du::options(dtype, device_type, device_index);
        du::put(out, place(at::randint(low, high, du::int_array(shape, ndim, "shape"), generator(gen),
                                       sampling_options(gen, target)),
                           target));
    });
}

int32_t du_tensor_randperm(int64_t n, du_generator* gen, int32_t device_type, int32_t device_index, du_tensor** out)
{
    return du::guard([&] {
        const auto target = du::options(DU_INT64, device_type, device_index);
        du::put(out, place(at::randperm(n, generator(gen), sampling_options(gen, target)), target));
    });
}

int32_t du_tensor_uniform_(du_tensor* t, double low, double high, du_generator* gen)
{
    return du::guard([&] {
        auto& x = du::tensor_mut(t);
        if (gen != nullptr && !x.is_cpu())
        {
            x.copy_(at::empty(x.sizes(), x.options().device(at::kCPU)).uniform_(low, high, gen->g));
        }
        else
        {
            x.uniform_(low, high, generator(gen));
        }
    });
}

int32_t du_tensor_normal_(du_tensor* t, double mean, double std, du_generator* gen)
{
    return du::guard([&] {
        auto& x = du::tensor_mut(t);
        if (gen != nullptr && !x.is_cpu())
        {
            x.copy_(at::empty(x.sizes(), x.options().device(at::kCPU)).normal_(mean, std, gen->g));
        }
        else
        {
            x.normal_(mean, std, generator(gen));
        }
    });
}

int32_t du_tensor_bernoulli(const du_tensor* t, double p, du_generator* gen, du_tensor** out)
{
    return du::guard([&] {
        const auto& x = du::tensor(t);
        const auto target = x.options().requires_grad(false);
        auto samples = at::empty(x.sizes(), sampling_options(gen, target)).bernoulli_(p, generator(gen));
        du::put(out, place(samples, target));
    });
}

int32_t du_generator_new(uint64_t seed, du_generator** out)
{
    return du::guard([&] {
        du::check_out(out, "out");
        *out = new du_generator{at::detail::createCPUGenerator(seed)};
    });
}

void du_generator_free(du_generator* gen)
{
    delete gen;
}

int32_t du_generator_set_seed(du_generator* gen, uint64_t seed)
{
    return du::guard([&] {
        if (gen == nullptr)
        {
            throw du::ArgumentError("generator is NULL");
        }
        std::lock_guard<std::mutex> lock(gen->g.mutex());
        gen->g.set_current_seed(seed);
    });
}

int32_t du_generator_get_state(du_generator* gen, du_tensor** out_state)
{
    return du::guard([&] {
        auto& g = generator_or_default(gen);
        std::lock_guard<std::mutex> lock(g.mutex());
        du::put(out_state, g.get_state());
    });
}

int32_t du_generator_set_state(du_generator* gen, const du_tensor* state)
{
    return du::guard([&] {
        auto& g = generator_or_default(gen);
        std::lock_guard<std::mutex> lock(g.mutex());
        g.set_state(du::tensor(state, "state"));
    });
}

} // extern "C"
