#!/usr/bin/env python3
"""Reference values for the experiment statistics specs, computed from the formulas with the Python
standard library only. Nothing here reuses the TypeScript under test or its numerical methods:

- normal tails come from math.erfc, quantiles from statistics.NormalDist.inv_cdf (Wichura AS241);
- Student's t tail is Simpson integration of the t density (math.lgamma), its quantile bisection on it;
- chi-square tails use the closed forms for 1 and 2 degrees of freedom;
- Fieller's interval is found by bisecting the test-inversion condition, not by the quadratic formula;
- expected loss integrates the normal density numerically instead of using the truncated-normal mean.

Run: python3 statistics_reference.py > statistics-reference.json
"""
import json
import math
from statistics import NormalDist

N01 = NormalDist()
ALPHA = 0.05


def normal_two_sided(z):
    """P(|Z| >= |z|) = erfc(|z| / sqrt 2)."""
    return math.erfc(abs(z) / math.sqrt(2))


def simpson(f, a, b, n=20000):
    h = (b - a) / n
    s = f(a) + f(b)
    for i in range(1, n):
        s += (4 if i % 2 else 2) * f(a + i * h)
    return s * h / 3


def t_pdf(x, df):
    c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(c - (df + 1) / 2 * math.log1p(x * x / df))


def t_two_sided(t, df):
    """P(|T| >= |t|) = 1 - 2 * integral_0^|t| f(x) dx."""
    return 1 - 2 * simpson(lambda x: t_pdf(x, df), 0, abs(t))


def bisect(f, lo, hi, iterations=200):
    """Root of an increasing-or-decreasing f on [lo, hi] with a sign change."""
    flo = f(lo)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        if (f(mid) > 0) == (flo > 0):
            lo, flo = mid, f(mid)
        else:
            hi = mid
    return (lo + hi) / 2


def t_critical(p, df):
    return bisect(lambda t: t_two_sided(t, df) - p, 0, 50)


def moments(kind, n, s, ss):
    """Rates: mean k/n and variance p(1-p). Means: unbiased sample variance from the sums."""
    mean = s / n
    if kind == "rate":
        return mean, mean * (1 - mean)
    return mean, (ss - s * s / n) / (n - 1)


def rho(alpha, tuning):
    """GrowthBook: rho = sqrt((-2 ln a + ln(-2 ln a + 1)) / N*)."""
    l = -2 * math.log(alpha)
    return math.sqrt((l + math.log(l + 1)) / tuning)


def seq_critical(p, total, r0):
    """Half-width multiplier of the confidence sequence: sqrt(2(1+r)/r ln(sqrt(1+r)/p)), r = N rho^2."""
    r = total * r0 * r0
    return math.sqrt(2 * (1 + r) / r * math.log(math.sqrt(1 + r) / p))


def seq_p(z, total, r0):
    """Always-valid p = min(1, 1/E), E = (1+r)^(-1/2) exp(r z^2 / (2(1+r)))."""
    r = total * r0 * r0
    e = (1 + r) ** -0.5 * math.exp(r * z * z / (2 * (1 + r)))
    return min(1.0, 1 / e)


def fieller(ma, va, mb, vb, c):
    """Lifts L with |mb - (1+L) ma| <= c sqrt(vb + (1+L)^2 va), found by bisection on each side."""
    lift = (mb - ma) / abs(ma)

    def excess(L):
        ratio = 1 + L if ma > 0 else 1 - L
        return abs(mb - ratio * ma) - c * math.sqrt(vb + ratio * ratio * va)

    lower = bisect(excess, lift - 50 * abs(lift) - 10, lift)
    upper = bisect(excess, lift, lift + 50 * abs(lift) + 10)
    return [lower, upper]


def positive_part_mean(m, s):
    """E[max(X, 0)] for X ~ N(m, s^2), by integrating x phi over [0, m + 12 s]."""
    hi = max(m, 0) + 12 * s
    return simpson(lambda x: x * NormalDist(m, s).pdf(x), 0, hi)


def comparison(kind, a, b, sequential_tuning=None):
    na, sa, ssa = a
    nb, sb, ssb = b
    ma, var_a = moments(kind, na, sa, ssa)
    mb, var_b = moments(kind, nb, sb, ssb)
    va, vb = var_a / na, var_b / nb
    se = math.sqrt(va + vb)
    diff = mb - ma
    stat = diff / se
    out = {"meanA": ma, "meanB": mb, "varianceA": var_a, "varianceB": var_b, "standardError": se, "statistic": stat}
    if sequential_tuning:
        r0 = rho(ALPHA, sequential_tuning)
        total = na + nb
        out.update(method="sequential-z", rho=r0, pValue=seq_p(stat, total, r0))
        c = seq_critical(ALPHA, total, r0)
    elif kind == "mean":
        # Welch-Satterthwaite degrees of freedom.
        df = (va + vb) ** 2 / (va * va / (na - 1) + vb * vb / (nb - 1))
        out.update(method="welch-t", degreesOfFreedom=df, pValue=t_two_sided(stat, df))
        c = t_critical(ALPHA, df)
    else:
        out.update(method="z", pValue=normal_two_sided(stat))
        c = N01.inv_cdf(1 - ALPHA / 2)
    out["critical"] = c
    out["absolute"] = [diff - c * se, diff + c * se]
    out["relative"] = diff / abs(ma)
    # Delta method: Var(lift) = vb / ma^2 + va mb^2 / ma^4.
    out["relativeSe"] = math.sqrt(vb / ma**2 + va * mb**2 / ma**4)
    out["fieller"] = fieller(ma, va, mb, vb, c)
    # Flat prior: posterior N(diff, se^2); chance to beat = P(X > 0); losses E[max(-X,0)], E[max(X,0)].
    out["chanceToBeat"] = 1 - NormalDist(diff, se).cdf(0)
    out["lossShip"] = positive_part_mean(-diff, se)
    out["lossKeep"] = positive_part_mean(diff, se)
    return out


def rate(k, n):
    return (n, k, k)


RATE_CASES = {
    "R1 420/10000 vs 480/10000": (rate(420, 10000), rate(480, 10000)),
    "R2 30/400 vs 45/410": (rate(30, 400), rate(45, 410)),
    "R3 1200/50000 vs 1320/48000": (rate(1200, 50000), rate(1320, 48000)),
    "R4 250/5000 vs 210/5000": (rate(250, 5000), rate(210, 5000)),
}
MEAN_CASES = {
    "M1 small samples": ((50, 152.3, 620.1), (60, 201.7, 850.4)),
    "M2 large samples": ((20000, 10400, 31000), (20000, 11000, 33500)),
    "M3 negative control mean": ((40, -80, 400), (45, -60, 380)),
}


def holm(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    adj, running = [0.0] * m, 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, (m - k) * ps[i]))
        adj[i] = running
    return adj


def bh(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    adj = [0.0] * m
    for k, i in enumerate(order):
        # min over ranks j >= k of m p_(j) / j
        adj[i] = min(1.0, min(m * ps[order[j]] / (j + 1) for j in range(k, m)))
    return adj


def chi2_sf(x, df):
    if df == 1:
        return math.erfc(math.sqrt(x / 2))
    if df == 2:
        return math.exp(-x / 2)
    raise ValueError(df)


def srm(observed, shares):
    total = sum(observed)
    expected = [total * s / sum(shares) for s in shares]
    x = sum((o - e) ** 2 / e for o, e in zip(observed, expected))
    return {"observed": observed, "shares": shares, "chiSquare": x, "pValue": chi2_sf(x, len(observed) - 1)}


def power_rate_sample(p, lift, alpha, power, ratio, tuning=None):
    """n_A = (c + z_power)^2 (pA(1-pA) + pB(1-pB)/k) / delta^2, with c iterated when sequential."""
    q = p * (1 + lift)
    num = p * (1 - p) + q * (1 - q) / ratio
    zp = N01.inv_cdf(power)
    n = 1000.0
    for _ in range(200):
        c = seq_critical(alpha, n * (1 + ratio), rho(alpha, tuning)) if tuning else N01.inv_cdf(1 - alpha / 2)
        n = (c + zp) ** 2 * num / (p * lift) ** 2
    return {"control": math.ceil(n), "treatment": math.ceil(n * ratio)}


def two_sided_power(effect, se, c):
    return 1 - N01.cdf(c - effect / se) + N01.cdf(-c - effect / se)


def mde_rate(p, na, nb, alpha, power):
    c = N01.inv_cdf(1 - alpha / 2)

    def gap(L):
        q = p * (1 + L)
        return two_sided_power(p * L, math.sqrt(p * (1 - p) / na + q * (1 - q) / nb), c) - power

    return bisect(gap, 1e-9, 1 / p - 1 - 1e-9)


def main():
    ref = {"alpha": ALPHA, "rates": {}, "means": {}, "sequential": {}, "adjusted": {}}
    for name, (a, b) in RATE_CASES.items():
        ref["rates"][name] = {"control": a, "treatment": b, **comparison("rate", a, b)}
    for name, (a, b) in MEAN_CASES.items():
        ref["means"][name] = {"control": a, "treatment": b, **comparison("mean", a, b)}
    for name, kind, (a, b), tuning in [
        ("R1 N*=5000", "rate", RATE_CASES["R1 420/10000 vs 480/10000"], 5000),
        ("R1 N*=20000", "rate", RATE_CASES["R1 420/10000 vs 480/10000"], 20000),
        ("R3 N*=5000", "rate", RATE_CASES["R3 1200/50000 vs 1320/48000"], 5000),
        ("M2 N*=40000", "mean", MEAN_CASES["M2 large samples"], 40000),
    ]:
        ref["sequential"][name] = {"kind": kind, "tuning": tuning, "control": a, "treatment": b, **comparison(kind, a, b, tuning)}
    ref["sequential"]["rho alpha=0.05 N*=5000"] = rho(0.05, 5000)
    # Adjusted interval: SE_adj = |diff| / z(1 - p_adj/2); interval diff -+ z(1 - alpha/2) SE_adj.
    r1 = ref["rates"]["R1 420/10000 vs 480/10000"]
    p_adj = min(1.0, 3 * r1["pValue"])
    se_adj = abs(r1["meanB"] - r1["meanA"]) / N01.inv_cdf(1 - p_adj / 2)
    d = r1["meanB"] - r1["meanA"]
    ref["adjusted"] = {"case": "R1 420/10000 vs 480/10000", "adjustedP": p_adj,
                       "absolute": [d - 1.959963984540054 * se_adj, d + 1.959963984540054 * se_adj]}
    ps = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04]
    ref["multipleTesting"] = {"pValues": ps, "holm": holm(ps), "benjaminiHochberg": bh(ps)}
    ref["srm"] = [srm([1003000, 997000], [1, 1]), srm([600, 400], [1, 1]), srm([5120, 4880], [1, 1]),
                  srm([2600, 2450, 4950], [0.25, 0.25, 0.5]), srm([2450, 2440, 5110], [0.25, 0.25, 0.5])]
    ref["power"] = {
        "rate p=0.05 lift=0.1 power=0.8": {"controlMean": 0.05, "lift": 0.1, "ratio": 1,
                                           "sizes": power_rate_sample(0.05, 0.1, ALPHA, 0.8, 1)},
        "rate p=0.05 lift=0.1 power=0.8 ratio 1:3": {"controlMean": 0.05, "lift": 0.1, "ratio": 3,
                                                     "sizes": power_rate_sample(0.05, 0.1, ALPHA, 0.8, 3)},
        "rate p=0.05 lift=0.1 sequential N*=100000": {"controlMean": 0.05, "lift": 0.1, "ratio": 1, "tuning": 100000,
                                                      "sizes": power_rate_sample(0.05, 0.1, ALPHA, 0.8, 1, 100000)},
        "mde rate p=0.04 n=10000/10000": {"controlMean": 0.04, "sizes": [10000, 10000],
                                          "mde": mde_rate(0.04, 10000, 10000, ALPHA, 0.8)},
    }
    ref["distributions"] = {
        "normalQuantile": [[p, N01.inv_cdf(p)] for p in [1e-12, 1e-6, 0.001, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999999]],
        "normalTwoSided": [[z, normal_two_sided(z)] for z in [0, 0.5, 1.96, 3, 6, 9]],
        "studentTTwoSided": [[t, df, t_two_sided(t, df)] for t, df in [(1, 3), (2.1, 7.5), (2.5, 30), (0.3, 200), (4, 12)]],
        "studentTCritical": [[p, df, t_critical(p, df)] for p, df in [(0.05, 5), (0.05, 27.3), (0.01, 100), (0.2, 2)]],
        "chiSquareSurvival": [[x, df, chi2_sf(x, df)] for x, df in [(0.5, 1), (3.84, 1), (18, 1), (40, 1), (1, 2), (13.8, 2)]],
        "logGamma": [[x, math.lgamma(x)] for x in [0.5, 1, 2.5, 10, 123.4, 1e5]],
    }
    print(json.dumps(ref, indent=1))


if __name__ == "__main__":
    main()
