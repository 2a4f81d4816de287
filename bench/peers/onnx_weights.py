"""
Moves velocity-net weights between ONNX files and the PyTorch peer.

The layout FlowLab exports: inputs x [N, d] and t [N, 1], output v [N, d]; the net is a chain of
MatMul (or Gemm) + Add layers on the time features. `load_velocity_mlp` reads the weight
matrices in graph order (2-D initializers feeding MatMul/Gemm) and the bias after each (1-D
initializer feeding the following Add, or Gemm's C), builds the peer's VelocityMLP with them, and
`check_against_onnxruntime` confirms the two compute the same v on random inputs.
"""
import math

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto
import torch

from flowlab_torch import VelocityMLP, TIME_FREQUENCIES

# Largest |v_torch - v_onnx| accepted as "the same net" (float32 rounding over 4 layers).
SAME_NET_TOLERANCE = 1e-3


def _initializers(model):
    return {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}


def _constants(model):
    """Values of Constant nodes (some writers store weights that way)."""
    out = {}
    for node in model.graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    out[node.output[0]] = numpy_helper.to_array(attr.t)
    return out


def read_layers(path):
    """[(W [in, out], b [out])] in graph order."""
    model = onnx.load(path)
    known = {**_initializers(model), **_constants(model)}
    consumers = {}
    for node in model.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    layers = []
    for node in model.graph.node:
        if node.op_type == "MatMul" and node.input[1] in known and known[node.input[1]].ndim == 2:
            w = known[node.input[1]]
            bias = None
            for nxt in consumers.get(node.output[0], []):
                if nxt.op_type == "Add":
                    other = nxt.input[1] if nxt.input[0] == node.output[0] else nxt.input[0]
                    if other in known:
                        bias = known[other].reshape(-1)
            layers.append((w, bias if bias is not None else np.zeros(w.shape[1], np.float32)))
        elif node.op_type == "Gemm" and node.input[1] in known:
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            w = known[node.input[1]]
            if attrs.get("transB", 0):
                w = w.T
            bias = known[node.input[2]].reshape(-1) if len(node.input) > 2 and node.input[2] in known else np.zeros(w.shape[1], np.float32)
            layers.append((w, bias))
    if not layers:
        raise ValueError(f"{path}: no MatMul/Gemm layers with initializer weights found")
    return layers


def load_velocity_mlp(path):
    layers = read_layers(path)
    dim = layers[-1][0].shape[1]
    width = layers[0][0].shape[1]
    depth = len(layers) - 1
    in_features = layers[0][0].shape[0]
    freqs = (in_features - dim - 1) // 2
    if in_features != dim + 1 + 2 * freqs:
        raise ValueError(f"{path}: first layer takes {in_features} features, not d + 1 + 2F for d={dim}")
    model = VelocityMLP(dim=dim, width=width, depth=depth, freqs=freqs)
    with torch.no_grad():
        for linear, (w, b) in zip(model.linears(), layers):
            if tuple(linear.weight.shape) != (w.shape[1], w.shape[0]):
                raise ValueError(f"{path}: layer shapes {[l[0].shape for l in layers]} are not a plain MLP")
            linear.weight.copy_(torch.from_numpy(np.array(w.T, dtype=np.float32)))
            linear.bias.copy_(torch.from_numpy(np.array(b, dtype=np.float32)))
    return model


def check_against_onnxruntime(path, model, n=256, seed=0):
    """Max |v_torch - v_onnx| on random (x, t); None when onnxruntime is not installed."""
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    rng = np.random.default_rng(seed)
    dim = model.linears()[-1].out_features
    x = rng.normal(size=(n, dim)).astype(np.float32) * 2
    t = rng.uniform(size=(n, 1)).astype(np.float32)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = sorted(i.name for i in sess.get_inputs())
    if names != ["t", "x"]:
        raise ValueError(f"{path}: inputs are {names}; the export layout has inputs x [N, d] and t [N, 1]")
    v_onnx = sess.run(None, {"x": x, "t": t})[0]
    with torch.no_grad():
        v_torch = model(torch.from_numpy(x), torch.from_numpy(t)).numpy()
    return float(np.max(np.abs(v_onnx - v_torch)))


def save_velocity_mlp(model, path):
    """Writes v(t, x) in the export layout (x [N, d], t [N, 1] -> v [N, d]) with plain ONNX ops."""
    linears = model.linears()
    dim = linears[-1].out_features
    freqs = model.freqs
    inits = [
        numpy_helper.from_array((2 * math.pi * np.arange(1, freqs + 1)).astype(np.float32).reshape(1, freqs), "two_pi_k"),
    ]
    nodes = [
        helper.make_node("Mul", ["t", "two_pi_k"], ["angle"]),
        helper.make_node("Sin", ["angle"], ["sin"]),
        helper.make_node("Cos", ["angle"], ["cos"]),
        helper.make_node("Concat", ["x", "t", "sin", "cos"], ["h0"], axis=1),
    ]
    h = "h0"
    for i, lin in enumerate(linears):
        inits.append(numpy_helper.from_array(lin.weight.detach().numpy().T.copy(), f"W{i}"))
        inits.append(numpy_helper.from_array(lin.bias.detach().numpy().copy(), f"b{i}"))
        nodes.append(helper.make_node("MatMul", [h, f"W{i}"], [f"m{i}"]))
        out = "v" if i == len(linears) - 1 else f"z{i}"
        nodes.append(helper.make_node("Add", [f"m{i}", f"b{i}"], [out]))
        if i < len(linears) - 1:
            nodes.append(helper.make_node("Sigmoid", [out], [f"s{i}"]))
            nodes.append(helper.make_node("Mul", [out, f"s{i}"], [f"h{i + 1}"]))
            h = f"h{i + 1}"
    graph = helper.make_graph(
        nodes,
        "velocity",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", dim]),
         helper.make_tensor_value_info("t", TensorProto.FLOAT, ["N", 1])],
        [helper.make_tensor_value_info("v", TensorProto.FLOAT, ["N", dim])],
        inits,
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    onnx_model.ir_version = 8
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, path)
