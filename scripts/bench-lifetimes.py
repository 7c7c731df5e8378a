"""Fits lifetimes' BetaGeoFitter and GammaGammaFitter to the histories `ciclo bench predict` wrote, and prints the
parameters and the time, so the two implementations can be compared on the same data.
Usage: python bench-lifetimes.py histories.csv   (columns frequency,recency,T,monetary_value)"""
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

data = pd.read_csv(sys.argv[1])
started = time.perf_counter()
bgf = BetaGeoFitter(penalizer_coef=0.0)
bgf.fit(data["frequency"], data["recency"], data["T"])
fit_seconds = time.perf_counter() - started
p = bgf.params_
print(f"lifetimes BG/NBD fit {fit_seconds:.3f} s: r {p['r']:.4f} alpha {p['alpha']:.4f} a {p['a']:.4f} b {p['b']:.4f}")
buyers = data[data["frequency"] > 0]
started = time.perf_counter()
ggf = GammaGammaFitter(penalizer_coef=0.0)
ggf.fit(buyers["frequency"], buyers["monetary_value"])
q = ggf.params_
print(f"lifetimes Gamma-Gamma fit {time.perf_counter() - started:.3f} s: p {q['p']:.4f} q {q['q']:.4f} v {q['v']:.4f}")
print(f"LIFETIMES_FIT_SECONDS {fit_seconds}")
