import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { SparseSymmetric, truncatedSvd } from './svd';

function sparse(dense: number[][]): SparseSymmetric {
  const rowStart = [0];
  const cols: number[] = [];
  const values: number[] = [];
  for (const row of dense) {
    row.forEach((v, j) => {
      if (v !== 0) {
        cols.push(j);
        values.push(v);
      }
    });
    rowStart.push(cols.length);
  }
  return {
    size: dense.length,
    rowStart: Int32Array.from(rowStart),
    cols: Int32Array.from(cols),
    values: Float32Array.from(values),
  };
}

describe('truncatedSvd', () => {
  // Two blocks of co-occurring terms plus weak cross links: a rank-2 structure with a little noise.
  const dense = Array.from({ length: 12 }, (_, i) =>
    Array.from({ length: 12 }, (_, j) =>
      i === j ? 0 : i < 6 === j < 6 ? 2 + ((i + j) % 3) : (i + j) % 5 === 0 ? 0.3 : 0,
    ),
  );

  it('matches the leading singular values of a dense SVD', () => {
    const exact = new SingularValueDecomposition(new Matrix(dense)).diagonal;
    const { values, vectors } = truncatedSvd(sparse(dense), 3, 1);
    values.forEach((v, i) => expect(v).toBeCloseTo(exact[i], 3));
    expect(vectors.rows).toBe(12);
    expect(vectors.columns).toBe(3);
  });

  it('is deterministic for a seed', () => {
    expect(truncatedSvd(sparse(dense), 2, 5).vectors.to2DArray()).toEqual(
      truncatedSvd(sparse(dense), 2, 5).vectors.to2DArray(),
    );
  });
});
