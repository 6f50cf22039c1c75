#!/usr/bin/env python3
"""Independent check of the SCALE-Sim v2 stall-free compute model.

Written from the specification in SCALESIM-MODEL.md (same folder); it does
not import SCALE-Sim and needs only the Python standard library.

Three independent computations are cross-checked for every case:
  1. closed-form per-fold cycle counts (SCALESIM-MODEL.md, section 4),
  2. a piecewise count of the rows each demand matrix gets per fold
     (prefix + body + suffix, then +cols-1 when the fold is skewed),
  3. for small layers only, an explicit construction of the three demand
     matrices as Python lists (addresses and -1 padding), whose row counts
     must agree with 1 and 2.

Exit status is 0 when every check holds and every value marked VERIFIED
equals the published SCALE-Sim output, 1 otherwise.
"""

import math
import sys

# --------------------------------------------------------------------------
# Topology handling (spec section 2)
# --------------------------------------------------------------------------


def ceil_div(a, b):
    return -(-a // b)


def parse_conv_topology(text):
    """Rows of a conv topology CSV -> list of layer dicts.

    Header line skipped; blank lines skipped; each row split on ',' and the
    last field dropped (the trailing comma); 7th numeric field = stride
    height, an optional 8th = stride width (defaults to stride height).
    """
    layers = []
    first = True
    for raw in text.splitlines():
        row = raw.strip()
        if first or row == "":
            first = False
            continue
        elems = row.split(",")[:-1]
        name = elems[0].strip()
        nums = [int(e.strip()) for e in elems[1:]]
        h, w, r, s, c, nf, sh = nums[:7]
        sw = nums[7] if len(nums) > 7 else sh
        if "DP" in name:  # depthwise: one single-filter layer per 'Num Filter'
            for ch in range(nf):
                layers.append(make_conv(name + "Channel_" + str(ch), h, w, r, s, c, 1, sh, sw))
        else:
            layers.append(make_conv(name, h, w, r, s, c, nf, sh, sw))
    return layers


def parse_gemm_topology(text):
    """Rows of an M,N,K topology CSV -> list of layer dicts (trailing comma required)."""
    layers = []
    first = True
    for raw in text.splitlines():
        row = raw.strip()
        if first:
            first = False
            continue
        if row == "":
            continue
        elems = row.split(",")[:-1]
        assert len(elems) > 3, "need name, M, N, K and a trailing comma"
        name = elems[0].strip()
        m, n, k = (int(e.strip()) for e in elems[1:4])
        layers.append(make_gemm(name, m, n, k))
    return layers


def make_conv(name, h, w, r, s, c, nf, sh, sw):
    assert r <= h and s <= w, "filter larger than ifmap"
    oh = ceil_div(h - r + sh, sh)  # == ceil((H-R)/stride) + 1
    ow = ceil_div(w - s + sw, sw)
    return {
        "name": name, "H": h, "W": w, "R": r, "S": s, "C": c, "NF": nf,
        "sh": sh, "sw": sw, "OH": oh, "OW": ow,
        "M": oh * ow,       # ofmap pixels per filter  (GEMM M)
        "N": nf,            # filters                   (GEMM N)
        "K": r * s * c,     # convolution window        (GEMM K)
    }


def make_gemm(name, m, n, k):
    # SCALE-Sim turns M,N,K into a conv: ifmap M x K, filter 1 x K, 1 channel,
    # N filters, stride 1 -> ofmap M x 1, window K.
    return make_conv(name, m, k, 1, k, 1, n, 1, 1)


# --------------------------------------------------------------------------
# Dataflow mapping (spec section 3) and fold model (spec section 4)
# --------------------------------------------------------------------------


def spatio_temporal(layer, df):
    """(Sr, Sc, T): operand dims mapped on array rows, array columns, time."""
    m, n, k = layer["M"], layer["N"], layer["K"]
    if df == "os":
        return m, n, k
    if df == "ws":
        return k, n, m
    if df == "is":
        return k, m, n
    raise ValueError(df)


def fold_rows_closed_form(df, rows, cols, t):
    if df == "os":
        return t + rows + cols - 2
    return 2 * rows + cols + t - 2  # ws and is


def util_cycles_closed_form(df, rows, cols, t):
    """The per-fold cycle figure used as denominator of compute utilisation."""
    if df == "os":
        return t + rows + cols - 2
    return 2 * rows + 2 * cols + t - 3  # ws and is


def fold_rows_piecewise(df, rows, cols, t):
    """Rows of the (ifmap, filter, ofmap) demand matrices for one fold."""
    R, C, T = rows, cols, t
    if df == "os":
        ifmap = (T + (C - 1)) + (R - 1)           # body, drain suffix, skew over R cols
        filt = (T + (R - 1)) + (C - 1)            # body, drain suffix, skew over C cols
        ofmap = ((T - 1) + R) + (C - 1)           # prefix, R flipped rows, skew over C cols
    elif df == "ws":
        ifmap = (R + T + (C - 1)) + (R - 1)       # weight-load prefix, body, suffix, skew R
        filt = R + (R + C + T - 2)                # R weight rows (flipped), long suffix, no skew
        ofmap = ((2 * R - 1) + T) + (C - 1)       # prefix, body, skew over C cols
    elif df == "is":
        ifmap = R + (R + C + T - 2)               # R stationary rows (flipped), long suffix, no skew
        filt = (R + T + (C - 1)) + (R - 1)        # prefix, body, suffix, skew over R cols
        ofmap = ((2 * R - 1) + T) + (C - 1)       # prefix, body, skew over C cols
    else:
        raise ValueError(df)
    return ifmap, filt, ofmap


def sum_naive(values):
    """Left-to-right float summation (Python <= 3.11 built-in sum)."""
    total = 0.0
    for v in values:
        total += v
    return total


def sum_neumaier(values):
    """Neumaier-compensated summation (what Python >= 3.12 built-in sum does for floats)."""
    total = 0.0
    comp = 0.0
    for v in values:
        t = total + v
        if abs(total) >= abs(v):
            comp += (total - t) + v
        else:
            comp += (v - t) + total
        total = t
    return total + comp


def simulate(layer, df, rows, cols):
    """Stall-free COMPUTE_REPORT items for one layer."""
    sr, sc, t = spatio_temporal(layer, df)
    row_fold = ceil_div(sr, rows)
    col_fold = ceil_div(sc, cols)

    per_fold = fold_rows_closed_form(df, rows, cols, t)
    pieces = fold_rows_piecewise(df, rows, cols, t)
    assert pieces == (per_fold, per_fold, per_fold), (df, pieces, per_fold)

    util_cycles = util_cycles_closed_form(df, rows, cols, t)
    map_eff = []
    comp_util = []
    for fc in range(col_fold):          # SCALE-Sim's loop order: columns outer
        for fr in range(row_fold):
            row_used = min(rows, sr - fr * rows)
            col_used = min(cols, sc - fc * cols)
            mac_used = row_used * col_used
            map_eff.append(mac_used / (rows * cols))
            comp_util.append((mac_used * t) / (rows * cols * util_cycles))
    folds = row_fold * col_fold
    demand_rows = folds * per_fold
    total_cycles = demand_rows - 1       # index of the last demand row
    num_compute = layer["M"] * layer["N"] * layer["K"]
    m, n, k = layer["M"], layer["N"], layer["K"]
    # SRAM request counts behind BANDWIDTH_REPORT's "Avg ... SRAM BW" (spec 5.5)
    if df == "os":
        reads = (m * k * col_fold, k * n * row_fold, m * n + folds * (rows + cols))
    elif df == "ws":
        reads = (m * k * col_fold, k * n, m * n * row_fold)
    else:
        reads = (m * k, k * n * col_fold, m * n * row_fold)
    return {
        "ifmap_sram_reads": reads[0], "filter_sram_reads": reads[1], "ofmap_sram_writes": reads[2],
        "Sr": sr, "Sc": sc, "T": t,
        "row_fold": row_fold, "col_fold": col_fold, "per_fold": per_fold,
        "demand_rows": demand_rows,
        "total_cycles": total_cycles,
        "stall_cycles": 0,
        "overall_util": num_compute * 100 / (total_cycles * rows * cols),
        # mean of the per-fold values, then x100; two summation orders (spec 5.4)
        "mapping_eff": sum_naive(map_eff) / folds * 100,
        "compute_util": sum_naive(comp_util) / folds * 100,
        "mapping_eff_comp": sum_neumaier(map_eff) / folds * 100,
        "compute_util_comp": sum_neumaier(comp_util) / folds * 100,
        "num_compute": num_compute,
    }


# --------------------------------------------------------------------------
# Explicit demand-matrix construction for small layers (independent check 3)
# --------------------------------------------------------------------------

NULL = -1


def skew(mat):
    """Column c is pushed down by c rows; result has rows+cols-1 rows."""
    n_rows, n_cols = len(mat), len(mat[0])
    out = [[NULL] * n_cols for _ in range(n_rows + n_cols - 1)]
    for c in range(n_cols):
        for r in range(n_rows):
            out[r + c][c] = mat[r][c]
    return out


def pad_cols(mat, width):
    return [row + [NULL] * (width - len(row)) for row in mat]


def null_rows(n, width):
    return [[NULL] * width for _ in range(n)]


def transpose(mat):
    return [list(col) for col in zip(*mat)]


def build_demand_matrices(layer, df, rows, cols):
    """Build the three demand matrices with symbolic addresses; return row counts."""
    m, n, k = layer["M"], layer["N"], layer["K"]
    ifmap = [[("i", p, w) for w in range(k)] for p in range(m)]   # M x K
    filt = [[("f", w, f) for f in range(n)] for w in range(k)]     # K x N
    ofmap = [[("o", p, f) for f in range(n)] for p in range(m)]    # M x N
    sr, sc, t = spatio_temporal(layer, df)
    row_fold, col_fold = ceil_div(sr, rows), ceil_div(sc, cols)
    R, C, T = rows, cols, t
    out_i, out_f, out_o = [], [], []
    for fc in range(col_fold):
        for fr in range(row_fold):
            r0, r1 = fr * R, min(fr * R + R, sr)
            c0, c1 = fc * C, min(fc * C + C, sc)
            if df == "os":
                ti = pad_cols([row[r0:r1] for row in transpose(ifmap)], R)       # T x R
                ti = skew(ti + null_rows(C - 1, R))
                tf = pad_cols([row[c0:c1] for row in filt], C)                   # T x C
                tf = skew(tf + null_rows(R - 1, C))
                to = pad_cols([row[c0:c1] for row in ofmap[r0:r1]], C)
                to = to + null_rows(R - len(to), C)
                to = skew(null_rows(T - 1, C) + to[::-1])
            elif df == "ws":
                ti = pad_cols([row[r0:r1] for row in ifmap], R)                  # T x R
                ti = skew(null_rows(R, R) + ti + null_rows(C - 1, R))
                tf = pad_cols([row[c0:c1] for row in filt[r0:r1]], C)
                tf = tf + null_rows(R - len(tf), C)
                tf = tf[::-1] + null_rows(R + C + T - 2, C)
                to = pad_cols([row[c0:c1] for row in ofmap], C)                  # T x C
                to = skew(null_rows(2 * R - 1, C) + to)
            else:  # is
                ifm_t = transpose(ifmap)                                         # K x M
                ti = pad_cols([row[c0:c1] for row in ifm_t[r0:r1]], C)
                ti = ti + null_rows(R - len(ti), C)
                ti = ti[::-1] + null_rows(R + C + T - 2, C)
                tf = pad_cols(transpose(filt[r0:r1]), R)                         # T x R
                tf = skew(null_rows(R, R) + tf + null_rows(C - 1, R))
                to = pad_cols(transpose(ofmap[c0:c1]), C)                        # T x C
                to = skew(null_rows(2 * R - 1, C) + to)
            out_i += ti
            out_f += tf
            out_o += to
    # SCALE-Sim asserts equal row counts and these widths
    w_i = R if df in ("os", "ws") else C
    w_f = C if df in ("os", "ws") else R
    assert all(len(r) == w_i for r in out_i)
    assert all(len(r) == w_f for r in out_f)
    assert all(len(r) == C for r in out_o)
    # OS writes each ofmap element once; WS and IS write the whole ofmap once
    # per row fold (partial sums of each window slice)
    real_o = sum(1 for r in out_o for e in r if e != NULL)
    want_o = m * n * (1 if df == "os" else row_fold)
    assert real_o == want_o, (df, real_o, want_o)
    real_i = sum(1 for r in out_i for e in r if e != NULL)
    want_i = m * k * (col_fold if df in ("os", "ws") else 1)
    assert real_i == want_i, (df, real_i, want_i)
    real_f = sum(1 for r in out_f for e in r if e != NULL)
    want_f = k * n * {"os": row_fold, "ws": 1, "is": col_fold}[df]
    assert real_f == want_f, (df, real_f, want_f)
    return len(out_i), len(out_f), len(out_o)


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

ALEXNET_PART_CSV = (
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
    "Conv1,  224, 224,    11, 11,    3,      96,     4,\n"
)

ALEXNET_CSV = (
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
    "Conv1     ,224         ,224        ,11           ,11          ,3       ,96        ,4      ,\n"
    "Conv2     ,27         ,27        ,5            ,5           ,96      ,256       ,1      ,\n"
    "Conv3     ,13          ,13         ,3            ,3           ,256     ,384       ,1      ,\n"
    "Conv4     ,13          ,13         ,3            ,3           ,384     ,384       ,1      ,\n"
    "Conv5     ,13          ,13         ,3            ,3           ,384     ,256       ,1      ,\n"
)

TEST_MNK_CSV = "Layer Name, M, N, K,\nTest 1, 256, 128, 256,"

FAILURES = []


def check(label, got, want):
    ok = got == want
    print("  %-58s %-22s %s" % (label, repr(got), "OK" if ok else "MISMATCH (want %r)" % (want,)))
    if not ok:
        FAILURES.append(label)


def check_float(label, naive, comp, want):
    """Bit-exact match against either summation order; says which one matched."""
    which = [n for n, v in (("naive-sum", naive), ("compensated-sum", comp)) if v == want]
    ok = bool(which)
    print("  %-58s %-22s %s" % (label, repr(want),
                                "OK (" + ", ".join(which) + ")" if ok
                                else "MISMATCH naive=%r compensated=%r" % (naive, comp)))
    if not ok:
        FAILURES.append(label)


def show(title, layer, df, rows, cols):
    res = simulate(layer, df, rows, cols)
    print("%s: %s %s, array %dx%d (ArrayHeight x ArrayWidth)" % (title, layer["name"], df, rows, cols))
    print("  ofmap %dx%d  M=%d N=%d K=%d  Sr=%d Sc=%d T=%d  folds %dx%d  rows/fold %d"
          % (layer["OH"], layer["OW"], layer["M"], layer["N"], layer["K"], res["Sr"], res["Sc"], res["T"],
             res["row_fold"], res["col_fold"], res["per_fold"]))
    print("  Total Cycles %d  Overall Util %r  Mapping Eff %r  Compute Util %r"
          % (res["total_cycles"], res["overall_util"], res["mapping_eff"], res["compute_util"]))
    if (res["mapping_eff_comp"], res["compute_util_comp"]) != (res["mapping_eff"], res["compute_util"]):
        print("  (compensated summation: Mapping Eff %r  Compute Util %r)"
              % (res["mapping_eff_comp"], res["compute_util_comp"]))
    return res


def main():
    conv1 = parse_conv_topology(ALEXNET_PART_CSV)[0]
    conv1_227 = make_conv("Conv1_227", 227, 227, 11, 11, 3, 96, 4, 4)
    gemm = parse_gemm_topology(TEST_MNK_CSV)[0]

    print("== VERIFIED against published SCALE-Sim v2 golden outputs ==")
    print("(test/golden_trace/COMPUTE_REPORT.csv: alexnet_part.csv Conv1, scale.cfg 32x32, Dataflow ws, CALC)")
    r = show("golden", conv1, "ws", 32, 32)
    check("ws 32x32 Total Cycles", r["total_cycles"], 112283)
    check("ws 32x32 Stall Cycles", r["stall_cycles"], 0)
    check("ws 32x32 Overall Util %", r["overall_util"], 91.68309650614964)
    check_float("ws 32x32 Mapping Efficiency %", r["mapping_eff"], r["mapping_eff_comp"], 94.53125)
    check_float("ws 32x32 Compute Util %", r["compute_util"], r["compute_util_comp"], 90.78000992063485)
    print("(test/general/golden_trace/{BANDWIDTH,DETAILED_ACCESS}_REPORT.csv: same run)")
    check("ws 32x32 SRAM IFMAP Reads", r["ifmap_sram_reads"], 3294225)
    check("ws 32x32 SRAM Filter Reads", r["filter_sram_reads"], 34848)
    check("ws 32x32 SRAM OFMAP Writes", r["ofmap_sram_writes"], 3484800)
    check("ws 32x32 Avg IFMAP SRAM BW", r["ifmap_sram_reads"] / r["total_cycles"], 29.338590881967885)
    check("ws 32x32 Avg FILTER SRAM BW", r["filter_sram_reads"] / r["total_cycles"], 0.31035864734643714)
    check("ws 32x32 Avg OFMAP SRAM BW", r["ofmap_sram_writes"] / r["total_cycles"], 31.035864734643713)
    r227 = simulate(conv1_227, "ws", 32, 32)
    check("227x227 input gives the same ofmap (55x55) and cycles", r227["total_cycles"], 112283)

    print()
    print("(test/general/golden_trace_user_{os,ws,is}/COMPUTE_REPORT.csv: GEMM M=256 N=128 K=256,")
    print(" 32x32, InterfaceBandwidth USER -> those runs stall; stall-free part = Total - Stall)")
    golden_user = {
        # df: (Total Cycles, Stall Cycles, Overall Util %, Mapping Eff %, Compute Util %)
        "os": (52447, 42272, 15.619577859553454, 100.0, 80.50314465408806),
        "ws": (52447, 41248, 15.619577859553454, 100.0, 67.19160104986877),
        "is": (19984, 5777, 40.99279423538831, 100.0, 50.59288537549407),
    }
    golden_user_bw = {
        # df: (Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW), divided by golden Total
        "os": (4.9982649150571055, 4.9982649150571055, 0.6638320590310218),
        "ws": (4.9982649150571055, 0.6247831143821382, 4.9982649150571055),
        "is": (3.2794235388310646, 13.117694155324259, 13.117694155324259),
    }
    for df in ("os", "ws", "is"):
        total, stall, ou, me, cu = golden_user[df]
        bw_i, bw_f, bw_o = golden_user_bw[df]
        r = show("golden-user", gemm, df, 32, 32)
        check(df + " stall-free Total Cycles == golden Total - Stall", r["total_cycles"], total - stall)
        check_float(df + " Mapping Efficiency %", r["mapping_eff"], r["mapping_eff_comp"], me)
        check_float(df + " Compute Util %", r["compute_util"], r["compute_util_comp"], cu)
        check(df + " Overall Util % (formula fed golden Total)",
              r["num_compute"] * 100 / (total * 32 * 32), ou)
        check(df + " Avg IFMAP SRAM BW (reads / golden Total)", r["ifmap_sram_reads"] / total, bw_i)
        check(df + " Avg FILTER SRAM BW (reads / golden Total)", r["filter_sram_reads"] / total, bw_f)
        check(df + " Avg OFMAP SRAM BW (writes / golden Total)", r["ofmap_sram_writes"] / total, bw_o)

    print()
    print("== DERIVED from the formulas only (not checked against a SCALE-Sim run) ==")
    derived = {}
    for df, rows, cols in (("os", 32, 32), ("is", 32, 32), ("ws", 8, 16), ("ws", 16, 8),
                           ("os", 8, 16), ("is", 8, 16)):
        derived[(df, rows, cols)] = show("derived", conv1, df, rows, cols)
    for lay in parse_conv_topology(ALEXNET_CSV):
        show("derived", lay, "ws", 32, 32)
    for df in ("os", "ws", "is"):
        show("derived-stall-free", gemm, df, 32, 32)

    print()
    print("== Explicit demand-matrix construction vs closed form (small layers) ==")
    small = [
        make_conv("tiny_conv", 7, 6, 3, 2, 2, 5, 2, 1),
        make_conv("tiny_conv2", 5, 5, 3, 3, 1, 3, 1, 1),
        make_gemm("tiny_gemm", 9, 7, 5),
        make_gemm("tiny_gemm2", 4, 13, 11),
    ]
    for lay in small:
        for df in ("os", "ws", "is"):
            for rows, cols in ((4, 4), (3, 5), (5, 2), (1, 1), (16, 16)):
                got = build_demand_matrices(lay, df, rows, cols)
                res = simulate(lay, df, rows, cols)
                want = res["demand_rows"]
                if got != (want, want, want):
                    FAILURES.append("explicit %s %s %dx%d" % (lay["name"], df, rows, cols))
                    print("  MISMATCH %s %s %dx%d explicit=%r closed=%r" % (lay["name"], df, rows, cols, got, want))
    print("  %d layer/dataflow/array combinations built explicitly" % (len(small) * 3 * 5))

    print()
    if FAILURES:
        print("FAILED: " + ", ".join(FAILURES))
        return 1
    print("ALL CHECKS PASSED (AlexNet Conv1 ws 32x32 = %d)" % simulate(conv1, "ws", 32, 32)["total_cycles"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
