// The little dense linear algebra EASE needs: inverting a symmetric positive definite matrix
// (a Gram matrix plus a ridge), row-major in one Float64Array. A few thousand items at most:
// n³ multiply-adds, about 3 s for n = 1,500 here, so no library is worth its weight.

/**
 * Inverts the n × n symmetric positive definite `matrix` in place by Gauss-Jordan
 * elimination. Positive definite pivots are never zero and need no row swaps; a pivot that
 * is not positive means the matrix was not, and is an error rather than a wrong answer.
 */
export function invertPositiveDefinite(matrix: Float64Array, n: number): Float64Array {
  if (matrix.length !== n * n) throw new Error(`Expected ${n * n} entries, got ${matrix.length}`);
  for (let k = 0; k < n; k++) {
    const row = k * n;
    const pivot = matrix[row + k]!;
    if (!(pivot > 0)) throw new Error(`Matrix is not positive definite (pivot ${pivot} at ${k})`);
    const inverse = 1 / pivot;
    matrix[row + k] = 1;
    for (let j = 0; j < n; j++) matrix[row + j]! *= inverse;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const other = i * n;
      const factor = matrix[other + k]!;
      if (factor === 0) continue;
      matrix[other + k] = 0;
      for (let j = 0; j < n; j++) matrix[other + j]! -= factor * matrix[row + j]!;
    }
  }
  return matrix;
}

/** a · b for n × n row-major matrices (for tests and checks, not hot paths). */
export function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const product = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x = a[i * n + k]!;
      if (x === 0) continue;
      for (let j = 0; j < n; j++) product[i * n + j]! += x * b[k * n + j]!;
    }
  }
  return product;
}

/**
 * Solves matrix · x = rhs for a symmetric positive definite n × n `matrix` by Cholesky
 * (both consumed: the factor is written over the matrix, x over rhs). n³/6 multiply-adds,
 * a third of inverting: what each item's local regression (regression.ts) needs.
 */
export function solvePositiveDefinite(matrix: Float64Array, n: number, rhs: Float64Array): Float64Array {
  return solveFactored(choleskyFactor(matrix, n), n, rhs);
}

/**
 * The Cholesky factor L of a symmetric positive definite n × n `matrix` (L Lᵀ = matrix),
 * written over its lower triangle: n³/6 multiply-adds, then each solve is n².
 */
export function choleskyFactor(matrix: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let diagonal = matrix[rowJ + j]!;
    for (let k = 0; k < j; k++) diagonal -= matrix[rowJ + k]! ** 2;
    if (!(diagonal > 0)) throw new Error(`Matrix is not positive definite (pivot ${diagonal} at ${j})`);
    const root = Math.sqrt(diagonal);
    matrix[rowJ + j] = root;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let sum = matrix[rowI + j]!;
      for (let k = 0; k < j; k++) sum -= matrix[rowI + k]! * matrix[rowJ + k]!;
      matrix[rowI + j] = sum / root;
    }
  }
  return matrix;
}

/** Solves L Lᵀ x = rhs with L from choleskyFactor (rhs consumed: x is written over it). */
export function solveFactored(factor: Float64Array, n: number, rhs: Float64Array): Float64Array {
  // L y = rhs, then Lᵀ x = y.
  for (let i = 0; i < n; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= factor[i * n + k]! * rhs[k]!;
    rhs[i] = sum / factor[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = rhs[i]!;
    for (let k = i + 1; k < n; k++) sum -= factor[k * n + i]! * rhs[k]!;
    rhs[i] = sum / factor[i * n + i]!;
  }
  return rhs;
}

/**
 * The diagonal of A⁻¹ from A's Cholesky factor L: (A⁻¹)_jj is the squared length of column j
 * of L⁻¹, which solving L x = e_j gives (x is zero above j). n³/6 multiply-adds in all.
 */
export function inverseDiagonal(factor: Float64Array, n: number): Float64Array {
  const diagonal = new Float64Array(n);
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let squares = 0;
    for (let i = j; i < n; i++) {
      let sum = i === j ? 1 : 0;
      for (let k = j; k < i; k++) sum -= factor[i * n + k]! * x[k]!;
      x[i] = sum / factor[i * n + i]!;
      squares += x[i]! ** 2;
    }
    diagonal[j] = squares;
  }
  return diagonal;
}
