// Training throughput of the TensorFlow.js peer: the default experiment (see flowlab_torch.py for
// the math: time features, 3 x 256 SiLU MLP, trigonometric interpolant, Adam lr 1e-3) as a
// tfjs program, on one backend ('cpu' = plain JavaScript kernels, 'wasm' = XNNPACK in WebAssembly).
// Every step's loss is read back, as FlowLab reads every step's loss.
//
// usage: node bench/peers/tfjs_train.mjs --backend wasm --batches 256,1024,4096 --seconds 5 --threads 2
// prints one JSON line: {tfjs, backend, threads, results: [{batch, steps_per_s, gflops, steps, seconds}]}

const WIDTH = 256;
const DEPTH = 3;
const FREQS = 4;
const DIM = 2;
const LR = 1e-3;
const DATA_POINTS = 100_000;
const INSTALL = 'npm install --no-save @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0';
/** Steps before the clock starts (kernel set-up, Adam slots). */
const WARMUP_STEPS = 5;

function parseArgs(argv) {
  const args = { backend: 'cpu', batches: '256,1024,4096', seconds: 5, threads: 2, minSteps: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
    args[key] = typeof args[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return args;
}

/** 8 squares of side 2 in [-4, 4]^2 where floor(x/2) + floor(y/2) is even. */
function checkerboard(n) {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const cell = Math.floor(Math.random() * 8);
    const row = Math.floor(cell / 2);
    const col = 2 * (cell % 2) + (row % 2);
    out[2 * i] = -4 + 2 * col + 2 * Math.random();
    out[2 * i + 1] = -4 + 2 * row + 2 * Math.random();
  }
  return out;
}

function buildNet(tf) {
  const sizes = [DIM + 1 + 2 * FREQS, ...Array(DEPTH).fill(WIDTH), DIM];
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const bound = 1 / Math.sqrt(sizes[i]);
    layers.push({
      w: tf.variable(tf.randomUniform([sizes[i], sizes[i + 1]], -bound, bound)),
      b: tf.variable(tf.randomUniform([sizes[i + 1]], -bound, bound)),
    });
  }
  const macs = sizes.slice(1).reduce((s, out, i) => s + sizes[i] * out, 0);
  return { layers, macs };
}

function makeStep(tf, net, data, batch) {
  const opt = tf.train.adam(LR);
  const k = tf.tensor2d([Array.from({ length: FREQS }, (_, i) => 2 * Math.PI * (i + 1))]);
  const halfPi = Math.PI / 2;
  return () => {
    const loss = opt.minimize(() => {
      const idx = tf.randomUniform([batch], 0, DATA_POINTS, 'int32');
      const x1 = tf.gather(data, idx);
      const x0 = tf.randomNormal([batch, DIM]);
      const t = tf.randomUniform([batch, 1]);
      const a = tf.cos(tf.mul(t, halfPi));
      const b = tf.sin(tf.mul(t, halfPi));
      const xt = tf.add(tf.mul(a, x0), tf.mul(b, x1));
      const target = tf.mul(tf.sub(tf.mul(a, x1), tf.mul(b, x0)), halfPi);
      const angle = tf.matMul(t, k);
      let h = tf.concat([xt, t, tf.sin(angle), tf.cos(angle)], 1);
      net.layers.forEach(({ w, b: bias }, i) => {
        h = tf.add(tf.matMul(h, w), bias);
        if (i < net.layers.length - 1) h = tf.mul(h, tf.sigmoid(h));
      });
      return tf.mean(tf.sum(tf.square(tf.sub(h, target)), 1));
    }, true);
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const tf = await import('@tensorflow/tfjs').catch(() => {
    throw new Error(`@tensorflow/tfjs is not installed; install it with: ${INSTALL}`);
  });
  let threads = 1;
  if (args.backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm').catch(() => {
      throw new Error(`@tensorflow/tfjs-backend-wasm is not installed; install it with: ${INSTALL}`);
    });
    wasm.setThreadsCount(args.threads);
    await tf.setBackend('wasm');
    threads = wasm.getThreadsCount();
  } else {
    await tf.setBackend(args.backend);
  }
  await tf.ready();
  const results = [];
  for (const batch of args.batches.split(',').map(Number)) {
    const data = tf.tensor2d(checkerboard(DATA_POINTS), [DATA_POINTS, DIM]);
    const net = buildNet(tf);
    const step = makeStep(tf, net, data, batch);
    for (let i = 0; i < WARMUP_STEPS; i++) step();
    let steps = 0;
    let loss = NaN;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < args.seconds || steps < args.minSteps) {
      loss = step();
      steps++;
      elapsed = (performance.now() - start) / 1000;
    }
    const rate = steps / elapsed;
    results.push({ batch, steps_per_s: rate, gflops: (rate * 6 * batch * net.macs) / 1e9, steps, seconds: elapsed, final_loss: loss });
    tf.disposeVariables();
    data.dispose();
  }
  process.stdout.write(JSON.stringify({ tfjs: tf.version.tfjs, backend: tf.getBackend(), threads, results }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${err?.message ?? err}\n`);
  process.exit(1);
});
