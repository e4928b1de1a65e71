/** L2-regularised logistic regression fitted by Newton's method: deterministic, exact, fast for tens of features. */

export interface LogisticOptions {
  /** L2 strength on the weights (not the intercept), relative to the mean loss. */
  l2: number;
  /** Hard cap on Newton steps; the fit stops earlier once the step is negligible. */
  maxIterations?: number;
  /** Per-example weights (default 1). */
  sampleWeights?: readonly number[];
}

export interface LogisticFit {
  weights: number[];
  intercept: number;
  iterations: number;
  converged: boolean;
  objective: number;
}

/** Numerically safe logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + exp(z)) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function margin(x: ArrayLike<number>, weights: readonly number[], intercept: number): number {
  let z = intercept;
  for (let j = 0; j < weights.length; j++) z += weights[j] * x[j];
  return z;
}

/** Objective: weighted mean log loss + (l2 / 2) * |w|^2. */
export function logisticObjective(
  X: readonly ArrayLike<number>[],
  y: readonly number[],
  weights: readonly number[],
  intercept: number,
  options: LogisticOptions,
): number {
  const sw = options.sampleWeights;
  let loss = 0;
  let total = 0;
  for (let i = 0; i < X.length; i++) {
    const z = margin(X[i], weights, intercept);
    const w = sw?.[i] ?? 1;
    loss += w * (softplus(z) - y[i] * z);
    total += w;
  }
  const penalty = weights.reduce((s, v) => s + v * v, 0);
  return loss / total + (options.l2 / 2) * penalty;
}

/** Gradient of the objective: [d/d intercept, d/d w_1..w_d]. */
export function logisticGradient(
  X: readonly ArrayLike<number>[],
  y: readonly number[],
  weights: readonly number[],
  intercept: number,
  options: LogisticOptions,
): number[] {
  const d = weights.length;
  const grad = new Array<number>(d + 1).fill(0);
  const sw = options.sampleWeights;
  let total = 0;
  for (let i = 0; i < X.length; i++) {
    const w = sw?.[i] ?? 1;
    const r = w * (sigmoid(margin(X[i], weights, intercept)) - y[i]);
    grad[0] += r;
    for (let j = 0; j < d; j++) grad[j + 1] += r * X[i][j];
    total += w;
  }
  for (let j = 0; j <= d; j++) grad[j] /= total;
  for (let j = 0; j < d; j++) grad[j + 1] += options.l2 * weights[j];
  return grad;
}

/** Solves A x = b for symmetric positive definite A (Cholesky); A is d x d, row-major arrays. */
export function solveSymmetric(A: number[][], b: number[]): number[] {
  const n = b.length;
  const L = A.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      // The tiny floor keeps an unpenalised intercept solvable when all labels agree.
      L[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j][j];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
    z[i] = s / L[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/** Fits weights and intercept by damped Newton steps (step halving guarantees the objective never rises). */
export function fitLogisticRegression(
  X: readonly ArrayLike<number>[],
  y: readonly number[],
  options: LogisticOptions,
): LogisticFit {
  const d = X.length > 0 ? X[0].length : 0;
  const sw = options.sampleWeights;
  const maxIterations = options.maxIterations ?? 50;
  let weights = new Array<number>(d).fill(0);
  let intercept = 0;
  let objective = logisticObjective(X, y, weights, intercept, options);
  let iterations = 0;
  let converged = false;
  const total = X.reduce((s, _x, i) => s + (sw?.[i] ?? 1), 0);
  while (iterations < maxIterations && !converged) {
    iterations++;
    const grad = logisticGradient(X, y, weights, intercept, options);
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < X.length; i++) {
      const p = sigmoid(margin(X[i], weights, intercept));
      const h = ((sw?.[i] ?? 1) * p * (1 - p)) / total;
      const xi = [1, ...Array.from(X[i])];
      for (let a = 0; a <= d; a++) for (let b = 0; b <= a; b++) H[a][b] += h * xi[a] * xi[b];
    }
    for (let a = 0; a <= d; a++) for (let b = 0; b < a; b++) H[b][a] = H[a][b];
    for (let j = 1; j <= d; j++) H[j][j] += options.l2;
    const step = solveSymmetric(H, grad);
    let scale = 1;
    let next = { weights, intercept, objective };
    for (let halvings = 0; halvings < 30; halvings++, scale /= 2) {
      const w = weights.map((v, j) => v - scale * step[j + 1]);
      const c = intercept - scale * step[0];
      const o = logisticObjective(X, y, w, c, options);
      if (o <= objective) {
        next = { weights: w, intercept: c, objective: o };
        break;
      }
    }
    const decrease = objective - next.objective;
    ({ weights, intercept, objective } = next);
    converged = decrease <= 1e-12 * Math.max(1, Math.abs(objective)) || Math.hypot(...step) * scale < 1e-10;
  }
  return { weights, intercept, iterations, converged, objective };
}
