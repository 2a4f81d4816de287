import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../../src-main/errors.js';
import { entropyMonteCarlo } from '../../../../src-main/engine/data/entropy.js';
import { TOYS, TOY_NAMES, getToy } from '../../../../src-main/engine/data/toys.js';
import { CHECKERBOARD_AREA, checkerboard } from '../../../../src-main/engine/data/toys/checkerboard.js';
import { EIGHT_GAUSSIANS_MIXTURE } from '../../../../src-main/engine/data/toys/eightGaussians.js';
import { RINGS_MIXTURE, RING_RADII } from '../../../../src-main/engine/data/toys/rings.js';
import type { BBox } from '../../../../src-main/engine/data/types.js';
import { histogramChiSquare, integrateOnGrid } from './densityChecks.js';

function mean2(x: Float32Array, n: number): [number, number] {
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[2 * i];
    sy += x[2 * i + 1];
  }
  return [sx / n, sy / n];
}

const box = (h: number): BBox => ({ xMin: -h, xMax: h, yMin: -h, yMax: h });

describe('toy registry', () => {
  test('offers the seven toys and the standard Gaussian, each with its metadata', () => {
    for (const name of ['checkerboard', '8gaussians', 'moons', 'spirals', 'rings', 'pinwheel', 'swissroll', 'gaussian']) {
      const toy = getToy(name);
      assert.equal(toy.name, name);
      assert.equal(toy.d, 2);
      assert.ok(toy.title.length > 0 && toy.description.length > 0);
      assert.ok(toy.bbox.xMin < toy.bbox.xMax && toy.bbox.yMin < toy.bbox.yMax);
    }
    assert.equal(TOY_NAMES.length, 8);
  });

  test('an unknown toy name is a UserError that lists the valid names', () => {
    assert.throws(() => getToy('checkers'), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /unknown toy dataset 'checkers'/);
      for (const name of TOY_NAMES) assert.ok(e.message.includes(name), `message lists ${name}`);
      return true;
    });
  });
});

describe('every toy sampler', () => {
  for (const name of TOY_NAMES) {
    test(`${name}: same seed gives the same points, another seed different points`, () => {
      const toy = TOYS[name];
      const a = toy.sample(2000, 7);
      const b = toy.sample(2000, 7);
      const c = toy.sample(2000, 8);
      assert.equal(a.length, 4000);
      assert.deepEqual(a, b);
      let differ = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== c[i]) differ++;
      assert.ok(differ > 3900, `only ${differ} of 4000 values differ between seeds`);
      assert.ok(a.every(Number.isFinite));
    });

    test(`${name}: almost all of its mass lies in its plot box`, () => {
      const toy = TOYS[name];
      const n = 20000;
      const x = toy.sample(n, 1);
      let inside = 0;
      for (let i = 0; i < n; i++) {
        const [px, py] = [x[2 * i], x[2 * i + 1]];
        if (px >= toy.bbox.xMin && px <= toy.bbox.xMax && py >= toy.bbox.yMin && py <= toy.bbox.yMax) inside++;
      }
      assert.ok(inside / n > 0.995, `${name}: only ${inside} of ${n} inside the box`);
    });
  }
});

describe('checkerboard', () => {
  test('every sample lies strictly inside a black square, floor(x/2) + floor(y/2) even', () => {
    const n = 200_000;
    const x = checkerboard.sample(n, 3);
    const perSquare = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const [px, py] = [x[2 * i], x[2 * i + 1]];
      assert.ok(px > -4 && px < 4 && py > -4 && py < 4, `point ${px}, ${py} outside [-4, 4]^2`);
      assert.ok(px % 2 !== 0 && py % 2 !== 0, `point ${px}, ${py} on a cell edge`);
      const key = `${Math.floor(px / 2)},${Math.floor(py / 2)}`;
      assert.equal((Math.floor(px / 2) + Math.floor(py / 2)) % 2 === 0, true, `point ${px}, ${py} in a white square`);
      perSquare.set(key, (perSquare.get(key) ?? 0) + 1);
    }
    assert.equal(perSquare.size, 8);
    for (const count of perSquare.values()) assert.ok(Math.abs(count / n - 1 / 8) < 0.005);
  });

  test('density is 1/32 on black squares and zero on white squares and outside', () => {
    const p = checkerboard.logDensity!(Float64Array.from([1, 1, -1, -1, 1, -1, -3, -1, 5, 0, 0.5, 3.5]), 6);
    assert.deepEqual([...p], [-Math.log(32), -Math.log(32), -Infinity, -Infinity, -Infinity, -Infinity]);
    assert.equal(checkerboard.entropy, Math.log(CHECKERBOARD_AREA));
    assert.ok(Math.abs(checkerboard.entropy! - 3.4657359) < 1e-7);
  });
});

describe('exact log-densities', () => {
  // Box and cells: the box holds the mass to < 1e-6, and the cells are small against each
  // toy's smallest std (midpoint rule) or aligned with the checkerboard's edges (exact).
  const cases: { name: string; box: BBox; cells: number }[] = [
    { name: 'checkerboard', box: box(4), cells: 160 },
    { name: '8gaussians', box: box(6), cells: 240 },
    { name: 'rings', box: box(4), cells: 200 },
    { name: 'gaussian', box: box(7), cells: 200 },
  ];
  for (const { name, box: b, cells } of cases) {
    test(`${name} density integrates to 1 on a grid (to 1e-3)`, () => {
      const total = integrateOnGrid(TOYS[name].logDensity!, b, cells);
      assert.ok(Math.abs(total - 1) < 1e-3, `${name} integrates to ${total}`);
    });

    test(`${name} density matches a histogram of its own samples (chi-square per bin near 1)`, () => {
      const n = 200_000;
      const toy = TOYS[name];
      const { chi2, dof } = histogramChiSquare(toy.sample(n, 11), n, toy.logDensity!, toy.bbox, 40, 8, 20);
      assert.ok(dof > 50, `${name}: only ${dof + 1} well-populated bins`);
      // chi2/dof has sd sqrt(2/dof) <= 0.2 when the sampler and density agree; a wrong
      // center, std or weight moves it far above 1.3.
      assert.ok(chi2 / dof < 1.3, `${name}: chi2/dof = ${chi2 / dof} over ${dof} dof`);
    });
  }

  test('a histogram check catches a sampler that disagrees with the density', () => {
    const n = 200_000;
    const shifted = checkerboard.sample(n, 11).map((v, i) => (i % 2 === 0 ? v + 0.1 : v));
    const { chi2, dof } = histogramChiSquare(shifted, n, checkerboard.logDensity!, checkerboard.bbox, 40, 8, 20);
    assert.ok(chi2 / dof > 2, `shifted samples gave chi2/dof = ${chi2 / dof}`);
  });

  test('8gaussians follows the FFJORD convention: radius 4/1.414, std 0.5/1.414', () => {
    const c = EIGHT_GAUSSIANS_MIXTURE.centers;
    for (let k = 0; k < 8; k++) assert.ok(Math.abs(Math.hypot(c[2 * k], c[2 * k + 1]) - 4 / 1.414) < 1e-12);
    assert.equal(EIGHT_GAUSSIANS_MIXTURE.std, 0.5 / 1.414);
    assert.deepEqual([c[0], c[1]], [4 / 1.414, 0]);
  });

  test('rings puts a quarter of the mass on each of the radii 0.75, 1.5, 2.25, 3', () => {
    assert.deepEqual(RING_RADII, [0.75, 1.5, 2.25, 3]);
    const n = 100_000;
    const x = TOYS.rings.sample(n, 2);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const r = Math.hypot(x[2 * i], x[2 * i + 1]);
      counts[Math.min(3, Math.max(0, Math.round(r / 0.75) - 1))]++;
    }
    for (const c of counts) assert.ok(Math.abs(c / n - 0.25) < 0.01, `ring shares ${counts}`);
    assert.equal(RINGS_MIXTURE.weights.length, 30 * (1 + 2 + 3 + 4));
  });
});

describe('toys without a closed-form density follow their formulas', () => {
  test('moons have mean (0, 0.3): 2 (1/2, 1/4) + (-1, -0.2)', () => {
    const [mx, my] = mean2(TOYS.moons.sample(100_000, 5), 100_000);
    assert.ok(Math.abs(mx) < 0.02 && Math.abs(my - 0.3) < 0.02, `mean ${mx}, ${my}`);
  });

  test('swissroll has mean (E[t cos t], E[t sin t]) / 5 = (0.4, 2 / (15 pi))', () => {
    const [mx, my] = mean2(TOYS.swissroll.sample(100_000, 5), 100_000);
    assert.ok(Math.abs(mx - 0.4) < 0.03 && Math.abs(my - 2 / (15 * Math.PI)) < 0.03, `mean ${mx}, ${my}`);
  });

  test('spirals and pinwheel are centred by symmetry; pinwheel arms sit near radius 2', () => {
    for (const name of ['spirals', 'pinwheel']) {
      const [mx, my] = mean2(TOYS[name].sample(100_000, 5), 100_000);
      assert.ok(Math.abs(mx) < 0.03 && Math.abs(my) < 0.03, `${name} mean ${mx}, ${my}`);
    }
    const x = TOYS.pinwheel.sample(50_000, 6);
    let r = 0;
    for (let i = 0; i < 50_000; i++) r += Math.hypot(x[2 * i], x[2 * i + 1]);
    assert.ok(Math.abs(r / 50_000 - 2) < 0.1, `mean radius ${r / 50_000}`);
  });

  test('these toys state no density and no entropy', () => {
    for (const name of ['moons', 'spirals', 'pinwheel', 'swissroll']) {
      assert.equal(TOYS[name].logDensity, undefined);
      assert.equal(TOYS[name].entropy, undefined);
    }
  });
});

describe('entropy', () => {
  test('Monte Carlo entropy of the checkerboard is exactly ln 32 with zero standard error', () => {
    const h = entropyMonteCarlo(checkerboard, 1000, 1);
    assert.ok(Math.abs(h.value - Math.log(32)) < 1e-12);
    assert.equal(h.stdErr, 0);
  });

  test('Monte Carlo entropy of the standard Gaussian agrees with 1 + ln(2 pi) within 4 standard errors', () => {
    const h = entropyMonteCarlo(TOYS.gaussian, 50_000, 2);
    assert.ok(h.stdErr > 0 && h.stdErr < 0.01);
    assert.ok(Math.abs(h.value - (1 + Math.log(2 * Math.PI))) < 4 * h.stdErr, `${h.value} +- ${h.stdErr}`);
  });

  test('8gaussians entropy is ln 8 plus one component\'s entropy (components barely overlap)', () => {
    const s = 0.5 / 1.414;
    const h = entropyMonteCarlo(TOYS['8gaussians'], 50_000, 3);
    const separated = Math.log(8) + 1 + Math.log(2 * Math.PI * s * s);
    assert.ok(Math.abs(h.value - separated) < 4 * h.stdErr + 1e-4, `${h.value} +- ${h.stdErr} vs ${separated}`);
  });

  test('a distribution without a density has no Monte Carlo entropy', () => {
    assert.throws(() => entropyMonteCarlo(TOYS.moons, 100, 1), /no exact log-density/);
  });
});
