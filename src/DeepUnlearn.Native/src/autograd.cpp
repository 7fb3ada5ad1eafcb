// Autograd: backward, grad (with create_graph for Hessian-vector products) and grad mode.
#include "common.h"

extern "C" {

int32_t du_autograd_backward(const du_tensor* t, const du_tensor* grad, int32_t retain_graph, int32_t create_graph)
{
    return du::guard([&] {
        const auto& x = du::tensor(t, "t");
        const at::Tensor g = grad != nullptr ? grad->t : at::Tensor();
        x.backward(g, retain_graph != 0 ? c10::optional<bool>(true) : c10::optional<bool>(c10::nullopt),
                   create_graph != 0);
    });
}

int32_t du_autograd_grad(const du_tensor* const* outputs, int32_t output_count, const du_tensor* const* inputs,
                         int32_t input_count, const du_tensor* const* grad_outputs, int32_t retain_graph,
                         int32_t create_graph, int32_t allow_unused, du_tensor*** out_items, int32_t* out_count)
{
    return du::guard([&] {
        auto outs = du::tensor_list(outputs, output_count, "outputs");
        auto ins = du::tensor_list(inputs, input_count, "inputs");
        std::vector<at::Tensor> grads;
        if (grad_outputs != nullptr)
        {
            grads = du::tensor_list(grad_outputs, output_count, "grad_outputs");
        }
        auto result = torch::autograd::grad(outs, ins, grads,
                                            retain_graph != 0 ? c10::optional<bool>(true) : c10::optional<bool>(),
                                            create_graph != 0, allow_unused != 0);
        du::put_list(out_items, out_count, result);
    });
}

int32_t du_autograd_set_grad_enabled(int32_t enabled, int32_t* out_previous)
{
    return du::guard([&] {
        du::check_out(out_previous, "out_previous");
        *out_previous = at::GradMode::is_enabled() ? 1 : 0;
        at::GradMode::set_enabled(enabled != 0);
    });
}

int32_t du_autograd_is_grad_enabled(int32_t* out_enabled)
{
    return du::guard([&] {
        du::check_out(out_enabled, "out_enabled");
        *out_enabled = at::GradMode::is_enabled() ? 1 : 0;
    });
}

} // extern "C"
