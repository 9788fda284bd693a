package io.proxima.core.continuous;

/**
 * A d-dimensional Gaussian N(μ, L·Lᵀ) in the parameters SPDL optimises
 * [CODE TeachMyAgent teachers/utils/gaussian_torch_distribution.py]:
 * θ = (μ_0 … μ_{d−1}, a_0 … a_{d−1}, b_{10}, b_{20}, b_{21}, b_{30}, …) with L_ii = exp(a_i) and
 * L_ij = b_ij below the diagonal (row by row, numpy's {@code tril_indices(k=−1)} order); P = 2d + d(d−1)/2.
 *
 * <pre>
 *   log p(c)        = −½‖z‖² − Σ a_i − (d/2)·ln 2π,           z = L⁻¹(c − μ)
 *   ∇_μ log p(c)    = L⁻ᵀ z
 *   ∇_L log p(c)    = lower(L⁻ᵀ z zᵀ) − diag(1/L_ii)       (then ∂/∂a_i = L_ii·∂/∂L_ii, ∂/∂b_ij = ∂/∂L_ij)
 *   KL(p ‖ q)       = ½[‖L_q⁻¹ L_p‖²_F + ‖L_q⁻¹(μ_q − μ_p)‖² − d] + Σ a_q,i − Σ a_p,i
 *   ∇_θ KL(p_θ ‖ q): ∇_μ = Σ_q⁻¹(μ − μ_q),  ∇_L = lower(Σ_q⁻¹ L) − diag(1/L_ii)
 *   Fisher F(θ)·v   = (Σ⁻¹ v_μ,  [N_ii·L_ii]_a,  [N_ji]_b),  N = Lᵀ Σ⁻¹ A(v) Σ⁻¹,  A(v) = dL·Lᵀ + L·dLᵀ
 *                     (dL: the change of L along v) — the Hessian of KL(p_θ ‖ p_θ') at θ' = θ
 * </pre>
 * Immutable value holder of θ with the math; O(d³) per call, d ≤ {@link ParameterSpace#MAX_DIMS}.
 */
final class CholeskyGaussian {
    private static final double LOG_2PI = StrictMath.log(2 * Math.PI);

    final int d;
    final double[] theta;
    /** L, row-major d×d (upper part zero). */
    final double[] chol;

    CholeskyGaussian(int d, double[] theta) {
        if (theta.length != size(d)) throw new IllegalArgumentException("theta has " + theta.length + " values, expected " + size(d));
        this.d = d;
        this.theta = theta.clone();
        this.chol = new double[d * d];
        for (int i = 0; i < d; i++) chol[i * d + i] = StrictMath.exp(theta[d + i]);
        int k = 2 * d;
        for (int i = 1; i < d; i++) for (int j = 0; j < i; j++) chol[i * d + j] = theta[k++];
    }

    /** A diagonal Gaussian: mean μ, standard deviations σ (> 0). */
    static CholeskyGaussian diagonal(double[] mean, double[] std) {
        int d = mean.length;
        double[] t = new double[size(d)];
        for (int i = 0; i < d; i++) {
            t[i] = mean[i];
            t[d + i] = StrictMath.log(std[i]);
        }
        return new CholeskyGaussian(d, t);
    }

    static int size(int d) {
        return 2 * d + d * (d - 1) / 2;
    }

    double mean(int i) {
        return theta[i];
    }

    /** √Σ_ii. */
    double std(int i) {
        double s = 0;
        for (int j = 0; j <= i; j++) s += chol[i * d + j] * chol[i * d + j];
        return Math.sqrt(s);
    }

    double logDiagSum() {
        double s = 0;
        for (int i = 0; i < d; i++) s += theta[d + i];
        return s;
    }

    /** x = μ + L·z for a vector z of standard normals. */
    void sample(double[] z, double[] out) {
        for (int i = 0; i < d; i++) {
            double s = theta[i];
            for (int j = 0; j <= i; j++) s += chol[i * d + j] * z[j];
            out[i] = s;
        }
    }

    /** Solves L·x = b in place (forward substitution). */
    void solveLower(double[] b) {
        for (int i = 0; i < d; i++) {
            double s = b[i];
            for (int j = 0; j < i; j++) s -= chol[i * d + j] * b[j];
            b[i] = s / chol[i * d + i];
        }
    }

    /** Solves Lᵀ·x = b in place (back substitution). */
    void solveUpper(double[] b) {
        for (int i = d - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < d; j++) s -= chol[j * d + i] * b[j];
            b[i] = s / chol[i * d + i];
        }
    }

    double logPdf(double[] c, int offset) {
        double[] z = new double[d];
        for (int i = 0; i < d; i++) z[i] = c[offset + i] - theta[i];
        solveLower(z);
        double q = 0;
        for (double v : z) q += v * v;
        return -0.5 * q - logDiagSum() - 0.5 * d * LOG_2PI;
    }

    /** KL(this ‖ q). */
    double kl(CholeskyGaussian q) {
        double tr = 0;
        double[] col = new double[d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) col[i] = chol[i * d + j];
            q.solveLower(col);
            for (double v : col) tr += v * v;
        }
        double[] dm = new double[d];
        for (int i = 0; i < d; i++) dm[i] = q.theta[i] - theta[i];
        q.solveLower(dm);
        double m = 0;
        for (double v : dm) m += v * v;
        return 0.5 * (tr + m - d) + q.logDiagSum() - logDiagSum();
    }

    /** Adds w·∇_θ log p(c) to grad. */
    void addLogPdfGradient(double[] c, int offset, double w, double[] grad) {
        double[] z = new double[d];
        for (int i = 0; i < d; i++) z[i] = c[offset + i] - theta[i];
        solveLower(z);
        double[] u = z.clone();
        solveUpper(u); // u = L⁻ᵀ z = Σ⁻¹(c − μ)
        for (int i = 0; i < d; i++) grad[i] += w * u[i];
        // ∇_L: (L⁻ᵀ z zᵀ)_ij = u_i z_j on and below the diagonal, minus 1/L_ii on it
        for (int i = 0; i < d; i++) grad[d + i] += w * (u[i] * z[i] * chol[i * d + i] - 1.0);
        int k = 2 * d;
        for (int i = 1; i < d; i++) for (int j = 0; j < i; j++) grad[k++] += w * u[i] * z[j];
    }

    /** Adds w·∇_θ KL(this ‖ q) to grad. */
    void addKlGradient(CholeskyGaussian q, double w, double[] grad) {
        double[] dm = new double[d];
        for (int i = 0; i < d; i++) dm[i] = theta[i] - q.theta[i];
        q.solveLower(dm);
        q.solveUpper(dm);
        for (int i = 0; i < d; i++) grad[i] += w * dm[i];
        // G = Σ_q⁻¹ L, column by column
        double[] g = new double[d * d];
        double[] col = new double[d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) col[i] = chol[i * d + j];
            q.solveLower(col);
            q.solveUpper(col);
            for (int i = 0; i < d; i++) g[i * d + j] = col[i];
        }
        for (int i = 0; i < d; i++) grad[d + i] += w * (g[i * d + i] * chol[i * d + i] - 1.0);
        int k = 2 * d;
        for (int i = 1; i < d; i++) for (int j = 0; j < i; j++) grad[k++] += w * g[i * d + j];
    }

    /** F(θ)·v, the Fisher information of θ times v (see the class comment). */
    double[] fisherTimes(double[] v) {
        double[] out = new double[theta.length];
        double[] vm = new double[d];
        System.arraycopy(v, 0, vm, 0, d);
        solveLower(vm);
        solveUpper(vm);
        System.arraycopy(vm, 0, out, 0, d);
        double[] dl = new double[d * d];
        for (int i = 0; i < d; i++) dl[i * d + i] = v[d + i] * chol[i * d + i];
        int k = 2 * d;
        for (int i = 1; i < d; i++) for (int j = 0; j < i; j++) dl[i * d + j] = v[k++];
        // A = dL·Lᵀ + L·dLᵀ (symmetric)
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int m = 0; m < d; m++) s += dl[i * d + m] * chol[j * d + m] + chol[i * d + m] * dl[j * d + m];
                a[i * d + j] = s;
                a[j * d + i] = s;
            }
        }
        // M = Σ⁻¹ A Σ⁻¹ = Σ⁻¹ (Σ⁻¹ A)ᵀ, A and Σ symmetric
        double[] m2 = sigmaInvTimes(transpose(sigmaInvTimes(a)));
        // N = Lᵀ M with M = Σ⁻¹ A Σ⁻¹
        double[] n = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int m = i; m < d; m++) s += chol[m * d + i] * m2[m * d + j];
                n[i * d + j] = s;
            }
        }
        for (int i = 0; i < d; i++) out[d + i] = n[i * d + i] * chol[i * d + i];
        k = 2 * d;
        for (int i = 1; i < d; i++) for (int j = 0; j < i; j++) out[k++] = n[j * d + i];
        return out;
    }

    /** Σ⁻¹·B for a row-major d×d B, column by column. */
    private double[] sigmaInvTimes(double[] b) {
        double[] out = new double[d * d];
        double[] col = new double[d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) col[i] = b[i * d + j];
            solveLower(col);
            solveUpper(col);
            for (int i = 0; i < d; i++) out[i * d + j] = col[i];
        }
        return out;
    }

    private double[] transpose(double[] b) {
        double[] t = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) t[j * d + i] = b[i * d + j];
        return t;
    }
}
