// Linear algebra.
#include "common.h"

extern "C" {

int32_t du_linalg_svd(const du_tensor* a, int32_t full_matrices, du_tensor** out_u, du_tensor** out_s,
                      du_tensor** out_vh)
{
    return du::guard([&] {
        du::check_out(out_u, "out_u");
        du::check_out(out_s, "out_s");
        du::check_out(out_vh, "out_vh");
        auto result = at::linalg_svd(du::tensor(a, "a"), full_matrices != 0);
        du::put(out_u, std::get<0>(result));
        du::put(out_s, std::get<1>(result));
        du::put(out_vh, std::get<2>(result));
    });
}

int32_t du_linalg_eigh(const du_tensor* a, du_tensor** out_eigenvalues, du_tensor** out_eigenvectors)
{
    return du::guard([&] {
        du::check_out(out_eigenvalues, "out_eigenvalues");
        du::check_out(out_eigenvectors, "out_eigenvectors");
        auto result = at::linalg_eigh(du::tensor(a, "a"), "L");
        du::put(out_eigenvalues, std::get<0>(result));
        du::put(out_eigenvectors, std::get<1>(result));
    });
}

int32_t du_linalg_qr(const du_tensor* a, int32_t mode, du_tensor** out_q, du_tensor** out_r)
{
    return du::guard([&] {
        du::check_out(out_q, "out_q");
        du::check_out(out_r, "out_r");
        if (mode != 0 && mode != 1)
        {
            throw du::ArgumentError("QR mode must be 0 (reduced) or 1 (complete), got " + std::to_string(mode));
        }
        auto result = at::linalg_qr(du::tensor(a, "a"), mode == 0 ? "reduced" : "complete");
        du::put(out_q, std::get<0>(result));
        du::put(out_r, std::get<1>(result));
    });
}

int32_t du_linalg_cholesky(const du_tensor* a, int32_t upper, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::linalg_cholesky(du::tensor(a, "a"), upper != 0)); });
}

int32_t du_linalg_solve(const du_tensor* a, const du_tensor* b, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::linalg_solve(du::tensor(a, "a"), du::tensor(b, "b"))); });
}

int32_t du_linalg_inv(const du_tensor* a, du_tensor** out)
{
    return du::guard([&] { du::put(out, at::linalg_inv(du::tensor(a, "a"))); });
}

int32_t du_linalg_pinv(const du_tensor* a, int32_t hermitian, du_tensor** out)
{
    return du::guard([&] {
        du::put(out, at::linalg_pinv(du::tensor(a, "a"), c10::optional<double>(), c10::optional<double>(),
                                     hermitian != 0));
    });
}

} // extern "C"
