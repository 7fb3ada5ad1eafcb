// RBF support-vector classification through libsvm (the library behind sklearn's SVC), for the
// membership-inference attack of the SalUn / Unlearn-Sparse benchmark.
#include "common.h"

#include <libsvm/svm.h>

#include <memory>

namespace
{
void silent(const char*)
{
}

struct ModelDeleter
{
    void operator()(svm_model* model) const
    {
        svm_free_and_destroy_model(&model);
    }
};

// Dense rows in libsvm's sparse layout: indices 1..d, terminated by index -1.
std::vector<svm_node> rows(const double* x, int64_t n, int64_t d)
{
    std::vector<svm_node> nodes(static_cast<size_t>(n * (d + 1)));
    for (int64_t i = 0; i < n; ++i)
    {
        for (int64_t j = 0; j < d; ++j)
        {
            nodes[static_cast<size_t>(i * (d + 1) + j)] = svm_node{static_cast<int>(j + 1), x[i * d + j]};
        }
        nodes[static_cast<size_t>(i * (d + 1) + d)] = svm_node{-1, 0.0};
    }
    return nodes;
}
} // namespace

extern "C" {

int32_t du_svm_rbf_fit_predict(const double* x_train, const int32_t* y_train, int64_t n_train, int64_t n_features,
                               double c, double gamma, const double* x_test, int64_t n_test, int32_t* out_labels,
                               double* out_decision)
{
    return du::guard([&] {
        if (n_train < 2 || n_features < 1 || n_test < 0)
        {
            throw du::ArgumentError("SVM needs at least 2 training rows and 1 feature (got " + std::to_string(n_train) +
                                    " rows, " + std::to_string(n_features) + " features)");
        }
        if (x_train == nullptr || y_train == nullptr || (n_test > 0 && (x_test == nullptr || out_labels == nullptr)))
        {
            throw du::ArgumentError("SVM input or output buffer is NULL");
        }
        bool seen[2] = {false, false};
        for (int64_t i = 0; i < n_train; ++i)
        {
            if (y_train[i] != 0 && y_train[i] != 1)
            {
                throw du::ArgumentError("SVM labels must be 0 or 1, row " + std::to_string(i) + " has " +
                                        std::to_string(y_train[i]));
            }
            seen[y_train[i]] = true;
        }
        if (!seen[0] || !seen[1])
        {
            throw du::ArgumentError("SVM training data must contain both classes 0 and 1");
        }

        std::vector<svm_node> train_nodes = rows(x_train, n_train, n_features);
        std::vector<svm_node*> train_rows(static_cast<size_t>(n_train));
        std::vector<double> labels(static_cast<size_t>(n_train));
        for (int64_t i = 0; i < n_train; ++i)
        {
            train_rows[static_cast<size_t>(i)] = &train_nodes[static_cast<size_t>(i * (n_features + 1))];
            labels[static_cast<size_t>(i)] = static_cast<double>(y_train[i]);
        }
        svm_problem problem{};
        problem.l = static_cast<int>(n_train);
        problem.y = labels.data();
        problem.x = train_rows.data();

        // sklearn.svm.SVC's defaults: C-SVC, RBF, tol 1e-3, 200 MB cache, shrinking on.
        svm_parameter param{};
        param.svm_type = C_SVC;
        param.kernel_type = RBF;
        param.gamma = gamma;
        param.C = c;
        param.cache_size = 200;
        param.eps = 1e-3;
        param.shrinking = 1;
        param.probability = 0;
        param.nr_weight = 0;
        if (const char* problem_text = svm_check_parameter(&problem, &param))
        {
            throw du::ArgumentError(std::string("libsvm rejected the parameters: ") + problem_text);
        }
        svm_set_print_string_function(&silent);
        std::unique_ptr<svm_model, ModelDeleter> model(svm_train(&problem, &param));

        std::vector<svm_node> test_nodes = rows(x_test, n_test, n_features);
        // With labels seen in order, libsvm's decision value is positive for its first label.
        const double sign = model->label[0] == 1 ? 1.0 : -1.0;
        for (int64_t i = 0; i < n_test; ++i)
        {
            double decision = 0.0;
            const double label =
                svm_predict_values(model.get(), &test_nodes[static_cast<size_t>(i * (n_features + 1))], &decision);
            out_labels[i] = static_cast<int32_t>(label);
            if (out_decision != nullptr)
            {
                out_decision[i] = sign * decision;
            }
        }
    });
}

} // extern "C"
