// du_engine_bench: the pure C++ reference loop of `deepunlearn bench engine`.
//
// Trains the same model as the C# side (DeepUnlearn.Models.SmallCnn for 3x32x32 inputs, or ResNet-18 with
// the CIFAR stem) on one fixed random batch, with the same ATen ops in the same order as the C# models
// issue them through the shim: conv2d, batch_norm in training mode (num_batches_tracked += 1 first),
// in-place ReLU, max_pool2d, in-place residual add, adaptive_avg_pool2d, flatten, linear,
// cross_entropy_loss; gradients cleared to "none" before backward; SGD with momentum as PyTorch's
// torch.optim.SGD (first step buf = grad.clone(), then buf.mul_(momentum).add_(grad); p.add_(buf, -lr)).
// The difference between the two loops is therefore the cost of the C# binding.
//
// Usage: du_engine_bench [--model smallcnn|resnet18] [--batch 128] [--steps 20] [--warmup 3]
//                        [--threads N] [--seed 0] [--lr 0.01] [--momentum 0.9]
// Prints one JSON line: {"model":..,"batch":..,"steps":..,"warmup":..,"threads":..,"seconds":..,
//                        "images_per_second":..,"rss_mb":..}
// Exit codes: 0 ok, 1 usage error, 2 failure.
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
struct Options
{
    std::string model = "smallcnn";
    int64_t batch = 128;
    int64_t steps = 20;
    int64_t warmup = 3;
    int64_t threads = 0;
    uint64_t seed = 0;
    double lr = 0.01;
    double momentum = 0.9;
};

// Parameters (trained) and buffers (batch-norm statistics), in creation order.
struct State
{
    std::vector<at::Tensor> parameters;
    std::vector<at::Tensor> momentum_buffers;
};

at::Tensor parameter(State& state, at::Tensor value)
{
    value.set_requires_grad(true);
    state.parameters.push_back(value);
    return value;
}

struct Conv
{
    at::Tensor weight;
    int64_t stride;
    int64_t padding;

    Conv(State& state, int64_t in, int64_t out, int64_t kernel, int64_t stride_, int64_t padding_)
        : stride(stride_), padding(padding_)
    {
        // torchvision: kaiming_normal(fan_out, relu), std = sqrt(2 / (out * k * k)).
        double std = std::sqrt(2.0 / static_cast<double>(out * kernel * kernel));
        weight = parameter(state, at::randn({out, in, kernel, kernel}) * std);
    }

    at::Tensor operator()(const at::Tensor& x) const
    {
        return at::conv2d(x, weight, {}, {stride, stride}, {padding, padding}, {1, 1}, 1);
    }
};

struct BatchNorm
{
    at::Tensor weight;
    at::Tensor bias;
    at::Tensor running_mean;
    at::Tensor running_var;
    at::Tensor num_batches_tracked;

    BatchNorm(State& state, int64_t channels)
    {
        weight = parameter(state, at::ones({channels}));
        bias = parameter(state, at::zeros({channels}));
        running_mean = at::zeros({channels});
        running_var = at::ones({channels});
        num_batches_tracked = at::zeros({}, at::kLong);
    }

    at::Tensor operator()(const at::Tensor& x) const
    {
        num_batches_tracked.add_(1);
        return at::batch_norm(x, weight, bias, running_mean, running_var, /*training=*/true, 0.1, 1e-5,
                              at::globalContext().userEnabledCuDNN());
    }
};

struct Linear
{
    at::Tensor weight;
    at::Tensor bias;

    Linear(State& state, int64_t in, int64_t out)
    {
        // PyTorch's default: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
        double bound = 1.0 / std::sqrt(static_cast<double>(in));
        weight = parameter(state, at::empty({out, in}).uniform_(-bound, bound));
        bias = parameter(state, at::empty({out}).uniform_(-bound, bound));
    }

    at::Tensor operator()(const at::Tensor& x) const
    {
        return at::linear(x, weight, bias);
    }
};

struct Model
{
    virtual ~Model() = default;
    virtual at::Tensor forward(const at::Tensor& x) = 0;
};

// DeepUnlearn.Models.SmallCnn: conv3x3(32)-BN-ReLU-maxpool2, conv3x3(64)-BN-ReLU-maxpool2, fc1 128-ReLU, fc2 K.
struct SmallCnn : Model
{
    Conv conv1, conv2;
    BatchNorm bn1, bn2;
    Linear fc1, fc2;

    SmallCnn(State& s, int64_t in, int64_t classes, int64_t size)
        : conv1(s, in, 32, 3, 1, 1), conv2(s, 32, 64, 3, 1, 1), bn1(s, 32), bn2(s, 64),
          fc1(s, 64 * (size / 4) * (size / 4), 128), fc2(s, 128, classes)
    {
    }

    at::Tensor forward(const at::Tensor& input) override
    {
        at::Tensor x = bn1(conv1(input));
        x.relu_();
        x = at::max_pool2d(x, {2, 2}, {2, 2}, {0, 0}, {1, 1}, false);
        x = bn2(conv2(x));
        x.relu_();
        x = at::max_pool2d(x, {2, 2}, {2, 2}, {0, 0}, {1, 1}, false);
        x = fc1(x.flatten(1));
        x.relu_();
        return fc2(x);
    }
};

// DeepUnlearn.Models.ResNetBasicBlock.
struct BasicBlock
{
    Conv conv1, conv2;
    BatchNorm bn1, bn2;
    std::unique_ptr<Conv> down_conv;
    std::unique_ptr<BatchNorm> down_bn;

    BasicBlock(State& s, int64_t in, int64_t planes, int64_t stride)
        : conv1(s, in, planes, 3, stride, 1), conv2(s, planes, planes, 3, 1, 1), bn1(s, planes), bn2(s, planes)
    {
        if (stride != 1 || in != planes)
        {
            down_conv = std::make_unique<Conv>(s, in, planes, 1, stride, 0);
            down_bn = std::make_unique<BatchNorm>(s, planes);
        }
    }

    at::Tensor forward(const at::Tensor& input) const
    {
        at::Tensor out = bn1(conv1(input));
        out.relu_();
        out = bn2(conv2(out));
        if (down_conv)
        {
            out.add_((*down_bn)((*down_conv)(input)));
        }
        else
        {
            out.add_(input);
        }
        return out.relu_();
    }
};

// DeepUnlearn.Models.ResNet: ResNet-18 with the CIFAR stem (conv3x3 stride 1, no max-pool).
struct ResNet18 : Model
{
    Conv conv1;
    BatchNorm bn1;
    std::vector<std::unique_ptr<BasicBlock>> blocks;
    std::unique_ptr<Linear> fc;

    ResNet18(State& s, int64_t in, int64_t classes) : conv1(s, in, 64, 3, 1, 1), bn1(s, 64)
    {
        int64_t in_planes = 64;
        for (int64_t stage = 0; stage < 4; ++stage)
        {
            int64_t planes = 64 << stage;
            for (int64_t b = 0; b < 2; ++b)
            {
                blocks.push_back(std::make_unique<BasicBlock>(s, in_planes, planes, b == 0 && stage > 0 ? 2 : 1));
                in_planes = planes;
            }
        }
        fc = std::make_unique<Linear>(s, 512, classes);
    }

    at::Tensor forward(const at::Tensor& input) override
    {
        at::Tensor x = bn1(conv1(input));
        x.relu_();
        for (const auto& block : blocks)
        {
            x = block->forward(x);
        }
        x = at::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
        return (*fc)(x);
    }
};

void sgd_step(State& state, double lr, double momentum)
{
    at::NoGradGuard no_grad;
    bool first = state.momentum_buffers.empty();
    for (size_t i = 0; i < state.parameters.size(); ++i)
    {
        at::Tensor& p = state.parameters[i];
        at::Tensor grad = p.grad();
        if (first)
        {
            state.momentum_buffers.push_back(grad.clone());
        }
        else
        {
            state.momentum_buffers[i].mul_(momentum).add_(grad);
        }
        p.add_(state.momentum_buffers[i], -lr);
    }
}

double rss_mb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
    {
        if (line.rfind("VmRSS:", 0) == 0)
        {
            std::istringstream fields(line.substr(6));
            double kb = 0;
            fields >> kb;
            return kb / 1024.0;
        }
    }
    return -1;
}

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i)
    {
        std::string key = argv[i];
        if (i + 1 >= argc)
        {
            throw std::invalid_argument("option " + key + " needs a value");
        }
        std::string value = argv[++i];
        if (key == "--model")
            o.model = value;
        else if (key == "--batch")
            o.batch = std::stoll(value);
        else if (key == "--steps")
            o.steps = std::stoll(value);
        else if (key == "--warmup")
            o.warmup = std::stoll(value);
        else if (key == "--threads")
            o.threads = std::stoll(value);
        else if (key == "--seed")
            o.seed = std::stoull(value);
        else if (key == "--lr")
            o.lr = std::stod(value);
        else if (key == "--momentum")
            o.momentum = std::stod(value);
        else
            throw std::invalid_argument("unknown option " + key +
                                        "; valid: --model --batch --steps --warmup --threads --seed --lr --momentum");
    }
    if (o.model != "smallcnn" && o.model != "resnet18")
    {
        throw std::invalid_argument("unknown model '" + o.model + "'; valid models: smallcnn, resnet18");
    }
    if (o.batch < 1 || o.steps < 1 || o.warmup < 0)
    {
        throw std::invalid_argument("--batch and --steps must be at least 1, --warmup at least 0");
    }
    return o;
}
} // namespace

int main(int argc, char** argv)
{
    Options o;
    try
    {
        o = parse(argc, argv);
    }
    catch (const std::exception& e)
    {
        std::cerr << "du_engine_bench: " << e.what() << "\n";
        return 1;
    }
    try
    {
        if (o.threads > 0)
        {
            at::set_num_threads(static_cast<int>(o.threads));
        }
        at::manual_seed(o.seed);
        const int64_t classes = 10;
        State state;
        std::unique_ptr<Model> model;
        if (o.model == "smallcnn")
        {
            model = std::make_unique<SmallCnn>(state, 3, classes, 32);
        }
        else
        {
            model = std::make_unique<ResNet18>(state, 3, classes);
        }
        at::Tensor x = at::randn({o.batch, 3, 32, 32});
        at::Tensor y = at::randint(0, classes, {o.batch}, at::kLong);

        auto step = [&] {
            at::Tensor loss = at::cross_entropy_loss(model->forward(x), y, {}, at::Reduction::Mean, -100, 0.0);
            for (auto& p : state.parameters)
            {
                p.mutable_grad() = at::Tensor();
            }
            loss.backward();
            sgd_step(state, o.lr, o.momentum);
        };
        for (int64_t i = 0; i < o.warmup; ++i)
        {
            step();
        }
        auto start = std::chrono::steady_clock::now();
        for (int64_t i = 0; i < o.steps; ++i)
        {
            step();
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        double ips = static_cast<double>(o.batch * o.steps) / seconds;
        std::printf("{\"model\":\"%s\",\"batch\":%lld,\"steps\":%lld,\"warmup\":%lld,\"threads\":%d,"
                    "\"seconds\":%.6f,\"images_per_second\":%.3f,\"rss_mb\":%.1f}\n",
                    o.model.c_str(), static_cast<long long>(o.batch), static_cast<long long>(o.steps),
                    static_cast<long long>(o.warmup), at::get_num_threads(), seconds, ips, rss_mb());
        return 0;
    }
    catch (const std::exception& e)
    {
        std::cerr << "du_engine_bench: " << e.what() << "\n";
        return 2;
    }
}
