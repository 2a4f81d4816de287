// The machine's limit: ONNX Runtime's float32 MatMul GFLOP/s with the benchmark's thread count,
// on a large square product and on every product shape of one training step of the default net.
// FlowLab's figure is the same MatMul built with its graph builder and run through its session
// factory (it must lose nothing to the plain session). The two run in interleaved passes; the
// training suite measures its own limit figures next to its training runs.
import { runFlowlab, runNodePeer } from '../lib/child.mjs';
import { figure, valueOr } from '../lib/figures.mjs';
import { shapeKey, trainFlopsPerStep, trainStepMatmuls } from '../lib/mlpShapes.mjs';
import { interleave, mergeBest } from '../lib/passes.mjs';

/** The large product whose GFLOP/s is "the MatMul peak". */
export const PEAK_SHAPE = [1024, 1024, 1024];

/**
 * GFLOP/s ONNX Runtime reaches on the step's own products: total FLOPs of the products over the
 * sum of their best times (the most any engine running these shapes one by one could reach).
 */
export function stepCeiling(byShape, batch) {
  let flops = 0;
  let ms = 0;
  for (const shape of trainStepMatmuls(batch)) {
    const r = byShape.get(shapeKey(shape));
    if (!r) return null;
    flops += 2 * shape[0] * shape[1] * shape[2];
    ms += r.ms_per_run;
  }
  return flops / (ms / 1000) / 1e9;
}

export async function run(ctx) {
  const batches = ctx.quick ? [1024] : ctx.batches;
  const shapes = [PEAK_SHAPE, ...(ctx.quick ? [] : [[2048, 2048, 2048], [512, 512, 512]]), ...batches.flatMap((b) => trainStepMatmuls(b))];
  const unique = [...new Map(shapes.map((s) => [shapeKey(s), s])).values()];
  const args = ['--threads', String(ctx.threads), '--seconds', ctx.quick ? '0.1' : '0.3', '--rounds', '2', '--shapes', unique.map(shapeKey).join(',')];
  const timeoutS = ctx.quick ? 60 : 600;
  const [peerRuns, flowRuns] = await interleave(ctx.quick ? 2 : 4, [
    async () => {
      const r = await runNodePeer('ort_matmul.mjs', args, { timeoutS, verbose: ctx.verbose });
      ctx.log(`  onnxruntime-node MatMul: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
      return r;
    },
    async () => {
      const r = await runFlowlab('matmul.ts', args, { timeoutS, verbose: ctx.verbose });
      ctx.log(`  FlowLab MatMul: ${r.ok ? 'done' : r.reason} (${r.seconds.toFixed(1)} s)`);
      return r;
    },
  ]);
  const key = (x) => shapeKey([x.m, x.k, x.n]);
  const peer = mergeBest(peerRuns, key, 'gflops');
  const flowlab = mergeBest(flowRuns, key, 'gflops');

  const index = (r) => new Map(r.ok ? r.value.results.map((x) => [shapeKey([x.m, x.k, x.n]), x]) : []);
  const peerBy = index(peer);
  const flowBy = index(flowlab);
  const peerName = `onnxruntime-node ${ctx.machine.onnxruntime} MatMul, ${ctx.threads} threads`;
  const gflops = (r, key) => valueOr(r, () => (r.ok ? r.value.results.find((x) => shapeKey([x.m, x.k, x.n]) === key)?.gflops : undefined));
  const figures = [];
  for (const s of unique.filter((s) => s[0] === s[1] && s[1] === s[2])) {
    figures.push(figure(`MatMul ${shapeKey(s)}`, 'GFLOP/s', gflops(flowlab, shapeKey(s)), gflops(peer, shapeKey(s)), peerName,
      'FlowLab = the same product built with its graph builder and run through its session factory'));
  }
  const ceilings = {};
  for (const b of batches) {
    const fc = flowlab.ok ? stepCeiling(flowBy, b) : null;
    const pc = peer.ok ? stepCeiling(peerBy, b) : null;
    ceilings[b] = pc;
    figures.push(figure(`MatMul, one training step's products at batch ${b}`, 'GFLOP/s', fc ?? valueOr(flowlab, () => null), pc ?? valueOr(peer, () => null), peerName,
      `${trainStepMatmuls(b).length} products, ${(trainFlopsPerStep(b) / 1e6).toFixed(0)} MFLOP counted per step`));
  }
  const peakKey = shapeKey(PEAK_SHAPE);
  return {
    figures,
    targets: [],
    details: {
      peakShape: peakKey,
      peakGflops: peerBy.get(peakKey)?.gflops ?? null,
      stepCeilingGflops: ceilings,
      peer: peer.ok ? peer.value : { missing: peer.reason },
      flowlab: flowlab.ok ? flowlab.value : { missing: flowlab.reason },
    },
  };
}
