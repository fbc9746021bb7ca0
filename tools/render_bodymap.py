#!/usr/bin/env python3
"""Build and preview the body diagram (resources/bodymap/outlines.json).

    python tools/render_bodymap.py            # preview PNGs of the shipped JSON in /tmp
    python tools/render_bodymap.py --build    # regenerate the JSON from the key points below, then preview

The silhouette is authored as key points of the viewer's-left half (x < 50),
smoothed into cubic Béziers and mirrored, so both halves stay symmetric. Region
polygons are the flattened silhouette clipped by half-planes (cut lines), so they
follow the drawn outline, tile the body without gaps, and need no hand tracing.
Previews: /tmp/bodymap_{front,back}.png and /tmp/bodymap_{front,back}_regions.png.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT_JSON = ROOT / "resources" / "bodymap" / "outlines.json"
W, H = 100.0, 220.0
MID = W / 2

# ---------------------------------------------------------------------------
# Curve helpers.  A key point is (x, y) or (x, y, "c") for a corner.


def _unit(dx: float, dy: float) -> tuple[float, float]:
    d = math.hypot(dx, dy) or 1.0
    return dx / d, dy / d


def spline(points, closed=False):
    """Smooth cubic Bézier path through the key points (handles = chord/3 along the local tangent)."""
    pts = [(float(p[0]), float(p[1])) for p in points]
    corner = [len(p) > 2 and p[2] == "c" for p in points]
    n = len(pts)

    def tangents(i):
        prev = pts[i - 1] if (closed or i > 0) else None
        nxt = pts[(i + 1) % n] if (closed or i < n - 1) else None
        p = pts[i]
        if corner[i] or prev is None or nxt is None:
            tin = _unit(p[0] - prev[0], p[1] - prev[1]) if prev else None
            tout = _unit(nxt[0] - p[0], nxt[1] - p[1]) if nxt else None
            return tin or tout, tout or tin
        t = _unit(nxt[0] - prev[0], nxt[1] - prev[1])
        return t, t

    tan = [tangents(i) for i in range(n)]
    cmds = [["M", *pts[0]]]
    for i in range(n if closed else n - 1):
        j = (i + 1) % n
        a, b = pts[i], pts[j]
        d = math.hypot(b[0] - a[0], b[1] - a[1]) / 3
        t0, t1 = tan[i][1], tan[j][0]
        cmds.append(["C", a[0] + t0[0] * d, a[1] + t0[1] * d, b[0] - t1[0] * d, b[1] - t1[1] * d, *b])
    if closed:
        cmds.append(["Z"])
    return cmds


def mirror_pt(p):
    return (W - p[0], p[1], *p[2:])


def mirror_path(path):
    out = []
    for cmd in path:
        vals = list(cmd[1:])
        for k in range(0, len(vals), 2):
            vals[k] = W - vals[k]
        out.append([cmd[0], *vals])
    return out


def ellipse(cx, cy, rx, ry):
    """Closed path of an ellipse (4 cubic arcs)."""
    k = 0.5523
    return [
        ["M", cx + rx, cy],
        ["C", cx + rx, cy + k * ry, cx + k * rx, cy + ry, cx, cy + ry],
        ["C", cx - k * rx, cy + ry, cx - rx, cy + k * ry, cx - rx, cy],
        ["C", cx - rx, cy - k * ry, cx - k * rx, cy - ry, cx, cy - ry],
        ["C", cx + k * rx, cy - ry, cx + rx, cy - k * ry, cx + rx, cy],
        ["Z"],
    ]


def flatten(path, step=0.6):
    """Polyline points of a path (first subpath only)."""
    pts = []
    cur = None
    for cmd in path:
        op = cmd[0]
        if op in ("M", "L"):
            cur = (cmd[1], cmd[2])
            pts.append(cur)
        elif op == "C":
            p0, p1, p2, p3 = cur, (cmd[1], cmd[2]), (cmd[3], cmd[4]), (cmd[5], cmd[6])
            est = math.dist(p0, p1) + math.dist(p1, p2) + math.dist(p2, p3)
            n = max(3, math.ceil(est / step))
            for i in range(1, n + 1):
                t = i / n
                mt = 1 - t
                pts.append(
                    (
                        mt**3 * p0[0] + 3 * mt * mt * t * p1[0] + 3 * mt * t * t * p2[0] + t**3 * p3[0],
                        mt**3 * p0[1] + 3 * mt * mt * t * p1[1] + 3 * mt * t * t * p2[1] + t**3 * p3[1],
                    )
                )
            cur = p3
        elif op == "Z":
            break
    if len(pts) > 1 and math.dist(pts[0], pts[-1]) < 1e-9:
        pts.pop()
    return pts


# ---------------------------------------------------------------------------
# Silhouette key points, viewer's-left half, top of head → crotch.

HEAD = [
    (50.0, 2.0),
    (44.8, 2.9),
    (41.7, 6.3),
    (40.6, 11.2),
    (40.9, 14.0, "c"),
    # ear
    (39.8, 13.7),
    (39.0, 15.4),
    (39.2, 18.4),
    (40.3, 20.8),
    (41.5, 21.5, "c"),
    # jaw
    (42.4, 24.0),
    (44.3, 26.5, "c"),
]
NECK_SHOULDER = [
    (44.6, 29.2),
    (43.6, 32.2),
    (40.4, 34.2),
    (35.6, 35.9),
    (31.0, 37.6),
    (27.9, 40.4),
    (26.3, 44.6),
    (25.7, 49.5),
]
ARM_OUTER = [
    (24.9, 56.0),
    (24.0, 63.0),
    (22.9, 71.0),
    (21.9, 78.0),
    (21.3, 83.0),
    (20.5, 89.0),
    (19.6, 96.0),
    (19.1, 102.5),
]
# Wrist centre and hand axis; the hand is drawn in local units (u towards the thumb, v along the
# hand from the wrist crease), scaled by HAND_SCALE.
WRIST = (21.9, 108.2)
HAND_AXIS = _unit(-0.12, 1.0)
HAND_SCALE = 1.1
FINGER_EDGES = (3.55, 1.7, -0.1, -1.9, -3.7)  # index | middle | ring | little, lateral to medial
FINGER_TIPS = (18.9, 20.2, 19.5, 17.4)
ARM_INNER = [
    (25.6, 102.5),
    (26.6, 96.0),
    (27.8, 89.0),
    (28.6, 83.5),
    (29.5, 77.0),
    (30.7, 70.0),
    (31.8, 62.5),
    (32.6, 57.0),
    (33.3, 53.2, "c"),  # armpit
]
TRUNK_LEG_OUTER = [
    (33.2, 57.5),
    (33.5, 64.0),
    (34.4, 71.5),
    (35.2, 79.0),
    (34.9, 86.0),
    (33.8, 93.0),
    (32.8, 100.0),
    (32.4, 106.0),
    (32.5, 114.0),
    (33.1, 124.0),
    (34.1, 136.0),
    (35.3, 147.0),
    (35.9, 154.0),
    (35.9, 160.0),
    (35.4, 166.0),
    (35.2, 172.0),
    (35.8, 181.0),
    (37.3, 190.0),
    (38.7, 195.5),
    (39.2, 199.5),
]
TOE_EDGES = (36.6, 38.15, 39.8, 41.5, 43.4, 47.3)  # little toe → big toe
TOE_TIPS = (214.9, 215.7, 216.3, 216.9, 217.3)
FOOT_FRONT = [
    (38.9, 203.0),
    (37.9, 207.0),
    (37.0, 210.8),
    (36.6, 213.4),
    *(((a + b) / 2, t) for a, b, t in zip(TOE_EDGES, TOE_EDGES[1:], TOE_TIPS)),
    (46.7, 216.6),
    (47.5, 214.5),
    (47.4, 210.5),
    (46.8, 206.0),
    (46.3, 202.5),
]
FOOT_BACK = [
    (38.8, 203.0),
    (38.3, 206.5),
    (38.2, 210.0),
    (38.9, 213.0),
    (40.7, 214.8),
    (42.7, 215.3),
    (44.7, 214.8),
    (46.5, 213.0),
    (47.2, 210.0),
    (47.0, 206.5),
    (46.4, 202.5),
]
LEG_INNER = [
    (45.9, 199.5),
    (45.6, 196.0),
    (45.5, 191.0),
    (46.2, 184.0),
    (46.8, 176.0),
    (46.9, 169.0),
    (46.3, 163.5),
    (46.1, 158.0),
    (46.6, 151.0),
    (47.1, 144.0),
    (47.7, 136.0),
    (48.4, 127.0),
    (49.2, 119.0),
    (50.0, 114.5, "c"),  # crotch
]


def hand_pt(u, v, *rest):
    ax, ay = HAND_AXIS
    lx, ly = -ay, ax  # lateral direction (towards small x)
    u, v = u * HAND_SCALE, v * HAND_SCALE
    return (WRIST[0] + u * lx + v * ax, WRIST[1] + u * ly + v * ay, *rest)


def hand_local():
    pts = [
        (2.85, -1.5),
        (3.1, 1.5),
        (3.8, 4.3),
        (4.6, 7.0),
        (5.3, 9.8),
        (5.6, 12.3),
        (5.35, 14.1),
        (4.65, 14.7),
        (4.0, 13.9),
        (3.8, 12.0),
        (3.7, 10.2, "c"),  # web between thumb and index
        (3.65, 13.0),
        (3.45, 16.6),
    ]
    for i, (a, b, t) in enumerate(zip(FINGER_EDGES, FINGER_EDGES[1:], FINGER_TIPS)):
        if i:  # shallow, smooth notch between fingertips
            pts.append((a, min(t, FINGER_TIPS[i - 1]) - 0.55))
        pts.append(((a + b) / 2, t))
    pts += [(-3.65, 15.6), (-3.95, 12.0), (-4.1, 6.5), (-3.6, 2.0), (-2.85, -1.5)]
    return pts


def half_contour(foot):
    hand = [hand_pt(*p) for p in hand_local()]
    return HEAD + NECK_SHOULDER + ARM_OUTER + hand + ARM_INNER + TRUNK_LEG_OUTER + foot + LEG_INNER


def silhouette(foot):
    half = half_contour(foot)
    other = [mirror_pt(p) for p in reversed(half[1:-1])]
    return spline(half + other, closed=True)


# ---------------------------------------------------------------------------
# Details (inner lines).


def both(path):
    return [path, mirror_path(path)]


def finger_lines():
    hand = flatten(spline([hand_pt(*p) for p in hand_local()]))
    out = []
    for edge in FINGER_EDGES[1:-1]:
        top = hand_pt(edge * 0.97, 12.2)
        # end the line on the drawn fingertip edge
        hits = []
        for a, b in zip(hand, hand[1:]):
            da, db = _across(a, edge), _across(b, edge)
            if (da < 0) != (db < 0):
                t = da / (da - db)
                hits.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
        end = max(hits, key=lambda p: p[1])
        out += both([["M", *top], ["L", *end]])
    return out


def _across(p, edge):
    """Signed distance of p from the hand line u = edge (in hand units)."""
    ax, ay = HAND_AXIS
    dx, dy = p[0] - WRIST[0], p[1] - WRIST[1]
    return (dx * -ay + dy * ax) / HAND_SCALE - edge


def ear_lines():
    return both(spline([(40.5, 15.0), (39.9, 16.6), (40.1, 18.8), (40.9, 20.2)]))


def details_front():
    d = []
    d.append(spline([(44.3, 26.5), (47.2, 28.45), (50.0, 28.95), (52.8, 28.45), (55.7, 26.5)]))  # chin
    # face, kept light: brows, eyes, nose, mouth
    d += both(spline([(43.0, 12.6), (45.2, 12.0), (47.6, 12.5)]))
    d += both(spline([(43.6, 15.0, "c"), (45.6, 14.1), (47.6, 15.0, "c"), (45.6, 15.7), (43.6, 15.0, "c")]))
    d += both(spline([(49.0, 15.3), (48.6, 18.6), (48.0, 20.1)]))  # nose
    d.append(spline([(48.3, 20.9), (49.1, 21.2), (50.0, 20.9), (50.9, 21.2), (51.7, 20.9)]))
    d.append(spline([(46.9, 23.6), (48.5, 23.4), (50.0, 23.7), (51.5, 23.4), (53.1, 23.6)]))
    d.append(spline([(47.8, 25.0), (50.0, 25.5), (52.2, 25.0)]))
    d += ear_lines()
    d += both(spline([(47.6, 34.9), (43.6, 35.1), (39.2, 36.3), (35.0, 37.6)]))  # clavicles
    d.append(spline([(47.6, 34.9), (50.0, 35.8), (52.4, 34.9)]))  # jugular notch
    d += both(spline([(34.6, 49.5), (37.2, 54.4), (41.8, 56.6), (47.0, 55.9), (49.5, 54.2)]))  # pectorals
    d += both(ellipse(41.4, 52.6, 0.5, 0.5))  # nipples
    d.append(spline([(50.0, 60.0), (50.0, 77.0)]))  # linea alba (upper)
    d.append(ellipse(50.0, 85.3, 0.55, 0.8))  # navel
    d += both(spline([(35.0, 95.0), (39.2, 100.3), (44.0, 105.6), (47.4, 110.2)]))  # inguinal folds
    d += both(spline([(39.2, 153.2), (38.6, 156.2), (39.2, 159.4)]))  # kneecaps
    d += both(spline([(43.0, 153.2), (43.6, 156.2), (43.0, 159.4)]))
    toes = flatten(silhouette(FOOT_FRONT))
    for x in TOE_EDGES[1:-1]:  # toe separations, from the drawn edge upwards
        tip = max(p[1] for p in toes if abs(p[0] - x) < 0.3 and p[1] > 210)
        d += both([["M", x, tip - 0.15], ["L", x - 0.1, tip - 1.8]])
    d += finger_lines()
    return d


def details_back():
    d = []
    d.append(spline([(44.3, 26.5), (47.3, 25.1), (50.0, 24.8), (52.7, 25.1), (55.7, 26.5)]))  # hairline at the nape
    d += ear_lines()
    d.append(spline([(50.0, 36.5), (50.0, 113.5)]))  # spine and gluteal cleft
    scapula = [(45.6, 43.0), (45.2, 52.0), (44.0, 61.0), (42.6, 64.6, "c"), (39.6, 58.6), (36.6, 51.0)]
    d += both(spline(scapula))
    d += both(spline([(45.6, 43.0), (41.0, 41.0), (36.6, 40.0)]))  # scapular spine
    d += both(spline([(49.0, 118.4), (45.4, 121.3), (40.6, 121.6), (36.4, 119.2)]))  # gluteal folds
    d += both(spline([(23.6, 81.0), (25.0, 83.3), (26.6, 82.0)]))  # olecranon
    d += both(spline([(38.4, 160.0), (41.2, 160.9), (44.2, 160.0)]))  # popliteal crease
    d += both(spline([(41.6, 190.0), (42.0, 201.0)]))  # Achilles tendon
    d += both(spline([(44.4, 190.0), (43.8, 201.0)]))
    d += finger_lines()
    return d


# ---------------------------------------------------------------------------
# Regions: silhouette clipped by half-planes.  A half-plane is (p, q, ref): keep the side of line pq
# that holds ref.  All specs are for the viewer's-left half; the other half is mirrored.


def hp(p, q, ref):
    return (p, q, ref)


def ylt(v):
    return hp((0, v), (1, v), (0, v - 1))


def ygt(v):
    return hp((0, v), (1, v), (0, v + 1))


def xlt(v):
    return hp((v, 0), (v, 1), (v - 1, 0))


def xgt(v):
    return hp((v, 0), (v, 1), (v + 1, 0))


XLEFT = xlt(MID)  # viewer's-left half


def _side(p, q, r):
    return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])


def clip(poly, plane):
    p, q, ref = plane
    sign = 1 if _side(p, q, ref) > 0 else -1
    out = []
    n = len(poly)
    for i in range(n):
        a, b = poly[i], poly[(i + 1) % n]
        sa, sb = sign * _side(p, q, a), sign * _side(p, q, b)
        if sa >= 0:
            out.append(a)
        if (sa >= 0) != (sb >= 0):
            t = sa / (sa - sb)
            out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return out


def _drop_spikes(poly):
    """Remove duplicate, collinear and back-tracking vertices (the zero-width bridges clipping leaves)."""
    pts = list(poly)
    changed = True
    while changed and len(pts) > 3:
        changed = False
        for i in range(len(pts)):
            a, b, c = pts[i - 1], pts[i], pts[(i + 1) % len(pts)]
            if math.dist(a, b) < 1e-7 or abs(_side(a, b, c)) < 1e-7 * max(1.0, math.dist(a, c)):
                del pts[i]
                changed = True
                break
    return pts


def _rdp(chain, eps):
    if len(chain) < 3:
        return list(chain)
    a, b = chain[0], chain[-1]
    base = math.dist(a, b) or 1e-12
    k, dmax = 0, -1.0
    for i in range(1, len(chain) - 1):
        d = abs(_side(a, b, chain[i])) / base
        if d > dmax:
            k, dmax = i, d
    if dmax <= eps:
        return [a, b]
    return _rdp(chain[: k + 1], eps)[:-1] + _rdp(chain[k:], eps)


def simplify(poly, eps=0.04):
    """Douglas-Peucker on the closed polygon, then round to 0.1 units."""
    pts = _drop_spikes(poly)
    k = max(range(len(pts)), key=lambda i: math.dist(pts[0], pts[i]))
    pts = _rdp(pts[: k + 1], eps)[:-1] + _rdp(pts[k:] + [pts[0]], eps)[:-1]
    out = []
    for x, y in pts:
        r = (round(x, 1), round(y, 1))
        if not out or r != out[-1]:
            out.append(r)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return [list(p) for p in _drop_spikes(out)]


ARMPIT = (33.3, 53.2)
L1 = (ARMPIT, (29.6, 110.0))  # arm / trunk gap
IN_ARM, IN_TRUNK = (20.0, 80.0), (45.0, 80.0)
D_SHOULDER = (ARMPIT, (38.6, 35.6))  # deltoid / chest or upper back
U_SHOULDER = (ARMPIT, (20.0, 56.2))  # deltoid / upper arm
N_NECK = ((44.6, 31.8), (50.0, 34.4))
ARM_LINES = {  # cut lines across the arm: (point, direction)
    "elbow_top": ((25.4, 78.5), (32.5, 4.3)),
    "elbow_bottom": ((24.6, 87.5), (21.0, 3.2)),
    "wrist_top": ((22.2, 106.6), (1.0, 0.12)),
    "wrist_bottom": ((21.7, 111.2), (1.0, 0.12)),
}


def _cut(name, keep):
    p, d = ARM_LINES[name]
    return hp(p, (p[0] + d[0], p[1] + d[1]), keep)


def arm_specs():
    arm = [hp(*L1, IN_ARM), XLEFT]
    return [
        ("hand_fingers", arm + [_cut("wrist_bottom", (20, 130))]),
        ("wrist", arm + [_cut("wrist_bottom", (20, 100)), _cut("wrist_top", (20, 130))]),
        ("forearm", arm + [_cut("wrist_top", (20, 100)), _cut("elbow_bottom", (20, 130))]),
        ("elbow", arm + [_cut("elbow_bottom", (20, 60)), _cut("elbow_top", (20, 130))]),
        ("upper_arm", arm + [_cut("elbow_top", (20, 60)), hp(*U_SHOULDER, (20, 70))]),
    ]


def leg_specs(top_planes):
    leg = [hp(*L1, IN_TRUNK), XLEFT]
    return [
        ("foot_sole", leg + [ygt(203.5)]),
        ("ankle", leg + [ylt(203.5), ygt(196.5)]),
        ("lower_leg", leg + [ylt(196.5), ygt(164.5)]),
        ("knee", leg + [ylt(164.5), ygt(151.0)]),
        ("thigh", leg + [ylt(151.0)] + top_planes),
    ]


EARS = [xlt(41.9), ygt(13.2), ylt(22.4)]
SHOULDER = [hp(*U_SHOULDER, (28, 45)), hp(*D_SHOULDER, (28, 45)), hp(*N_NECK, (40, 40))]
NOSE = [(49.0, 14.6), (51.0, 14.6), (51.6, 18.4), (52.6, 20.3), (52.0, 21.6), (48.0, 21.6), (47.4, 20.3), (48.4, 18.4)]
MOUTH_JAW = [  # mouth down to the chin line
    (45.4, 22.0), (54.6, 22.0), (55.6, 25.0), (55.7, 26.5), (52.8, 28.45),
    (50.0, 28.95), (47.2, 28.45), (44.3, 26.5), (44.4, 25.0),
]  # fmt: skip
UPPER_TRUNK = [hp(*N_NECK, (45, 50)), hp(*D_SHOULDER, (45, 50)), hp(*L1, IN_TRUNK), XLEFT]


def ellipse_poly(cx, cy, rx, ry, n=20):
    return [(cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n)) for i in range(n)]


def region_specs(view):
    """[(code, 'side'|'midline', half-planes or fixed polygon)], smallest first."""
    specs = []
    if view == "front":
        face_bottom = hp((44.3, 26.5), (50.0, 28.95), (45, 20))
        chest_bottom = ((34.0, 75.0), (50.0, 69.0))
        groin_top = ((33.6, 93.0), (46.0, 105.5))
        groin_bottom = ((32.4, 109.0), (49.5, 117.5))
        genital = [
            xgt(45.3), xlt(54.7), ygt(101.5),
            hp((45.3, 108.0), (49.2, 117.0), (50, 105)), hp((54.7, 108.0), (50.8, 117.0), (50, 105)),
        ]  # fmt: skip
        specs += [
            ("eyes", "side", ellipse_poly(45.6, 14.9, 2.9, 2.0)),
            ("nose", "midline", NOSE),
            ("mouth_teeth_jaw", "midline", MOUTH_JAW),
            ("ears", "side", EARS),
            ("scalp", "side", [ylt(8.0), XLEFT]),
            ("face", "side", [ygt(8.0), face_bottom, XLEFT]),
            ("neck", "side", [hp((44.3, 26.5), (50.0, 28.95), (45, 30)), hp(*N_NECK, (47, 30)), XLEFT]),
            ("shoulder", "side", SHOULDER),
        ]
        specs += [(c, "side", p) for c, p in arm_specs()]
        specs += [
            ("genital_perineal_anal", "midline", genital),
            ("chest", "side", UPPER_TRUNK + [hp(*chest_bottom, (45, 60))]),
            ("abdomen", "side", [hp(*chest_bottom, (45, 80)), hp(*groin_top, (45, 90)), hp(*L1, IN_TRUNK), XLEFT]),
            ("hip_groin", "side", [hp(*groin_top, (45, 110)), hp(*groin_bottom, (40, 100)), hp(*L1, IN_TRUNK), XLEFT]),
        ]
        specs += [(c, "side", p) for c, p in leg_specs([hp(*groin_bottom, (40, 130))])]
    else:
        scalp_bottom = ((44.3, 26.5), (50.0, 24.8))
        fold = ((33.0, 118.5), (49.5, 120.5))
        buttock_top = ((33.7, 94.0), (50.0, 98.5))
        specs += [
            ("ears", "side", EARS),
            ("scalp", "side", [hp(*scalp_bottom, (45, 20)), XLEFT]),
            ("neck", "side", [hp(*scalp_bottom, (45, 30)), hp(*N_NECK, (47, 30)), XLEFT]),
            ("shoulder", "side", SHOULDER),
        ]
        specs += [(c, "side", p) for c, p in arm_specs()]
        specs += [
            ("genital_perineal_anal", "midline", [xgt(47.6), xlt(52.4), ygt(108.5), ylt(116.5)]),
            ("upper_back", "side", UPPER_TRUNK + [ylt(76.0)]),
            ("lower_back", "side", [ygt(76.0), hp(*buttock_top, (45, 85)), hp(*L1, IN_TRUNK), XLEFT]),
            ("buttocks", "side", [hp(*buttock_top, (45, 110)), hp(*fold, (45, 110)), hp(*L1, IN_TRUNK), XLEFT]),
        ]
        specs += [(c, "side", p) for c, p in leg_specs([hp(*fold, (40, 130))])]
    return specs


def build_regions(view, outline):
    body = flatten(outline[0], step=0.4)
    viewer_left = "right" if view == "front" else "left"
    viewer_right = "left" if view == "front" else "right"
    out = []
    for code, kind, spec in region_specs(view):
        if spec and isinstance(spec[0][0], (int, float)):  # a fixed polygon
            poly = list(spec)
        else:
            poly = body
            for plane in spec:
                poly = clip(poly, plane)
        poly = simplify(poly)
        if len(poly) < 3:
            raise SystemExit(f"{view}: region {code} is empty")
        if kind == "midline":
            out.append({"code": code, "laterality": "midline", "polygon": poly})
        else:
            mirrored = [[round(W - x, 1), y] for x, y in reversed(poly)]
            out.append({"code": code, "laterality": viewer_left, "polygon": poly})
            out.append({"code": code, "laterality": viewer_right, "polygon": mirrored})
    # person's right before left, keeping the smallest-first order of codes
    order = {"right": 0, "left": 1, "midline": 0}
    codes = list(dict.fromkeys(r["code"] for r in out))
    return sorted(out, key=lambda r: (codes.index(r["code"]), order[r["laterality"]]))


def _round_path(path, nd=2):
    return [[cmd[0], *(round(v, nd) for v in cmd[1:])] for cmd in path]


def build():
    views = {}
    for view, foot, details in (("front", FOOT_FRONT, details_front()), ("back", FOOT_BACK, details_back())):
        outline = [silhouette(foot)]
        views[view] = {
            "outline": [_round_path(p) for p in outline],
            "details": [_round_path(p) for p in details],
            "regions": build_regions(view, outline),
        }
    data = {
        "version": 1,
        "viewbox": [0, 0, int(W), int(H)],
        "note": "Generated by tools/render_bodymap.py --build. Units of the viewbox; diagram_x = x/100, "
        "diagram_y = y/220. Front: person's right = viewer's left. Back: person's right = viewer's right. "
        "Regions: first polygon containing a point wins.",
        "views": views,
    }
    OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # one region / path per line keeps diffs readable
    text = text.replace("],[\"", "],\n[\"").replace("},{", "},\n{")
    OUT_JSON.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT_JSON} ({OUT_JSON.stat().st_size} bytes)")


# ---------------------------------------------------------------------------
# Preview


def render(out_dir: Path, width_px: int, markers: bool) -> None:
    """PNG previews through QtSvg (part of PySide6-Essentials): plain and with labelled regions."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from kkdesk import bodymap, resources

    resources.read_json.cache_clear()  # pick up a JSON just rebuilt
    bodymap.load.cache_clear()
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - text rendering needs it
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = {"front": [(2, 0.47, 0.08)], "back": [(1, 0.22, 0.48)]} if markers else {}
    for view in bodymap.VIEWS:
        for suffix, show in (("", False), ("_regions", True)):
            svg = bodymap.to_svg(view, demo.get(view, []), show_regions=show)
            renderer = QSvgRenderer(QByteArray(svg.encode()))
            img = QImage(width_px, round(width_px * H / W), QImage.Format.Format_ARGB32)
            img.fill(QColor("white"))
            painter = QPainter(img)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter)
            painter.end()
            target = out_dir / f"bodymap_{view}{suffix}.png"
            img.save(str(target))
            print(f"rendered {target}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", action="store_true", help="regenerate resources/bodymap/outlines.json first")
    ap.add_argument("--out", type=Path, default=Path("/tmp"), help="directory for the PNGs (default /tmp)")
    ap.add_argument("--width", type=int, default=600, help="PNG width in pixels")
    ap.add_argument("--markers", action="store_true", help="draw the interchange-example markers")
    args = ap.parse_args(argv)
    if args.build:
        build()
    render(args.out, args.width, args.markers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
