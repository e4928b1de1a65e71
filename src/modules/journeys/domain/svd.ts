import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { Prng } from '../../../lib/synthetic/prng';

/** A symmetric sparse matrix in CSR form. */
export interface SparseSymmetric {
  size: number;
  rowStart: Int32Array;
  cols: Int32Array;
  values: Float32Array;
}

function multiply(a: SparseSymmetric, x: Matrix): Matrix {
  const k = x.columns;
  const rows = x.to2DArray();
  const out: number[][] = [];
  for (let r = 0; r < a.size; r++) {
    const row = new Array<number>(k).fill(0);
    for (let p = a.rowStart[r]; p < a.rowStart[r + 1]; p++) {
      const xr = rows[a.cols[p]];
      const v = a.values[p];
      for (let c = 0; c < k; c++) row[c] += v * xr[c];
    }
    out.push(row);
  }
  return new Matrix(out);
}

function gaussian(prng: Prng): number {
  const u = Math.max(prng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng.next());
}

/**
 * Truncated SVD of a symmetric sparse matrix by randomised range finding (Halko et al.): the dense
 * decomposition runs only on a size x (rank + oversampling) matrix, so vocabularies of thousands stay fast.
 * Returns the top `rank` left singular vectors (rows = terms) and singular values; seeded, deterministic.
 */
export function truncatedSvd(
  a: SparseSymmetric,
  rank: number,
  seed: number,
  powerIterations = 2,
): { vectors: Matrix; values: number[] } {
  const width = Math.min(a.size, rank + 10);
  const prng = new Prng(seed);
  let q = Matrix.zeros(a.size, width);
  for (let r = 0; r < a.size; r++) for (let c = 0; c < width; c++) q.set(r, c, gaussian(prng));
  q = new QrDecomposition(multiply(a, q)).orthogonalMatrix;
  for (let i = 0; i < powerIterations; i++) q = new QrDecomposition(multiply(a, multiply(a, q))).orthogonalMatrix;
  // B^T = A Q because A is symmetric; its SVD gives A's singular vectors as Q * V.
  const svd = new SingularValueDecomposition(multiply(a, q), { autoTranspose: true });
  const keep = Math.min(rank, width);
  const vectors = q.mmul(svd.rightSingularVectors).subMatrix(0, a.size - 1, 0, keep - 1);
  return { vectors, values: svd.diagonal.slice(0, keep) };
}
