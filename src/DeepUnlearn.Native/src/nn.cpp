// Neural-network functions: layers, activations, losses.
#include "common.h"

namespace
{
at::IntArrayRef pair(const int64_t* values, const char* name)
{
    return du::int_array(values, 2, name);
}
} // namespace

extern "C" {

int32_t du_nn_linear(const du_tensor* input, const du_tensor* weight, const du_tensor* bias, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::linear(du::tensor(input, "input"), du::tensor(weight, "weight"), du::optional_tensor(bias)));
    });
}

int32_t du_nn_conv2d(const du_tensor* input, const du_tensor* weight, const du_tensor* bias, const int64_t* stride,
                     const int64_t* padding, const int64_t* dilation, int64_t groups, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::conv2d(du::tensor(input, "input"), du::tensor(weight, "weight"), du::optional_tensor(bias),
                                pair(stride, "stride"), pair(padding, "padding"), pair(dilation, "dilation"), groups));
    });
}

int32_t du_nn_max_pool2d(const du_tensor* input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                         const int64_t* dilation, int32_t ceil_mode, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::max_pool2d(du::tensor(input, "input"), pair(kernel, "kernel"), pair(stride, "stride"),
                                    pair(padding, "padding"), pair(dilation, "dilation"), ceil_mode != 0));
    });
}

int32_t du_nn_avg_pool2d(const du_tensor* input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                         int32_t ceil_mode, int32_t count_include_pad, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::avg_pool2d(du::tensor(input, "input"), pair(kernel, "kernel"), pair(stride, "stride"),
                                    pair(padding, "padding"), ceil_mode != 0, count_include_pad != 0));
    });
}

int32_t du_nn_adaptive_avg_pool2d(const du_tensor* input, const int64_t* output_size, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::adaptive_avg_pool2d(du::tensor(input, "input"), pair(output_size, "output_size")));
    });
}

int32_t du_nn_batch_norm(const du_tensor* input, const du_tensor* weight, const du_tensor* bias,
                         du_tensor* running_mean, du_tensor* running_var, int32_t training, double momentum,
                         double eps, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::batch_norm(du::tensor(input, "input"), du::optional_tensor(weight), du::optional_tensor(bias),
                                    du::optional_tensor(running_mean), du::optional_tensor(running_var),
                                    training != 0, momentum, eps, at::globalContext().userEnabledCuDNN()));
    });
}

int32_t du_nn_dropout(const du_tensor* input, double p, int32_t training, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::dropout(du::tensor(input, "input"), p, training != 0)); });
}

int32_t du_nn_softmax(const du_tensor* input, int64_t dim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::softmax(du::tensor(input, "input"), dim)); });
}

int32_t du_nn_log_softmax(const du_tensor* input, int64_t dim, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::log_softmax(du::tensor(input, "input"), dim)); });
}

int32_t du_nn_cross_entropy(const du_tensor* input, const du_tensor* target, const du_tensor* weight,
                            int32_t reduction, int64_t ignore_index, double label_smoothing, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::cross_entropy_loss(du::tensor(input, "input"), du::tensor(target, "target"),
                                            du::optional_tensor(weight), du::reduction(reduction), ignore_index,
                                            label_smoothing));
    });
}

int32_t du_nn_nll_loss(const du_tensor* input, const du_tensor* target, const du_tensor* weight, int32_t reduction,
                       int64_t ignore_index, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::nll_loss_nd(du::tensor(input, "input"), du::tensor(target, "target"),
                                     du::optional_tensor(weight), du::reduction(reduction), ignore_index));
    });
}

int32_t du_nn_kl_div(const du_tensor* input, const du_tensor* target, int32_t reduction, int32_t log_target,
                     du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::kl_div(du::tensor(input, "input"), du::tensor(target, "target"), du::reduction(reduction),
                                log_target != 0));
    });
}

int32_t du_nn_mse_loss(const du_tensor* input, const du_tensor* target, int32_t reduction, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::mse_loss(du::tensor(input, "input"), du::tensor(target, "target"), du::reduction(reduction)));
    });
}

int32_t du_nn_binary_cross_entropy_with_logits(const du_tensor* input, const du_tensor* target, int32_t reduction,
                                               du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::binary_cross_entropy_with_logits(du::tensor(input, "input"), du::tensor(target, "target"),
                                                          c10::nullopt, c10::nullopt, du::reduction(reduction)));
    });
}

int32_t du_nn_unfold(const du_tensor* input, const int64_t* kernel, const int64_t* dilation, const int64_t* padding,
                     const int64_t* stride, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::im2col(du::tensor(input, "input"), pair(kernel, "kernel"), pair(dilation, "dilation"),
                                pair(padding, "padding"), pair(stride, "stride")));
    });
}

int32_t du_nn_one_hot(const du_tensor* indices, int64_t num_classes, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::one_hot(du::tensor(indices, "indices"), num_classes)); });
}

int32_t du_nn_interpolate_bilinear(const du_tensor* input, const int64_t* size, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::upsample_bilinear2d(du::tensor(input, "input"), pair(size, "size"), /*align_corners=*/false,
                                             c10::nullopt, c10::nullopt));
    });
}

} // extern "C"
