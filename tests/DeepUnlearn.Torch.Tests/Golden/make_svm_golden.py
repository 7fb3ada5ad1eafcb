#!/usr/bin/python3
"""Golden SVC decisions for RbfSvcTests, from scikit-learn's SVC (an independent libsvm front end).

Run with Debian's Python (python3-sklearn 1.2.1, python3-numpy):
    /usr/bin/python3 tests/DeepUnlearn.Torch.Tests/Golden/make_svm_golden.py
It writes svm.json next to this script. The data mimic SalUn's MIA: 1-D "true-class confidence"
features (members high, non-members lower, overlapping), and a 2-D case with a curved boundary.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.svm import SVC

rng = np.random.default_rng(20261121)


def case(name, x_train, y_train, x_test, c=3.0):
    clf = SVC(C=c, gamma="auto", kernel="rbf")
    clf.fit(x_train, y_train)
    return {
        "name": name,
        "features": int(x_train.shape[1]),
        "c": c,
        "x_train": x_train.ravel().tolist(),
        "y_train": y_train.astype(int).tolist(),
        "x_test": x_test.ravel().tolist(),
        "labels": clf.predict(x_test).astype(int).tolist(),
        "decision": clf.decision_function(x_test).tolist(),
    }


members = np.clip(rng.beta(8, 1, 60), 0, 1)
nonmembers = np.clip(rng.beta(3, 2, 60), 0, 1)
x1 = np.concatenate([members, nonmembers])[:, None]
y1 = np.concatenate([np.ones(60), np.zeros(60)])
t1 = np.linspace(0, 1, 41)[:, None]

r = rng.uniform(0, 2, 80)
a = rng.uniform(0, 2 * np.pi, 80)
x2 = np.stack([r * np.cos(a), r * np.sin(a)], axis=1)
y2 = (r < 1.0).astype(float)
t2 = rng.uniform(-2, 2, (30, 2))

out = {
    "generator": f"scikit-learn {sklearn.__version__} SVC(C=3, gamma='auto', kernel='rbf')",
    "cases": [case("confidence_1d", x1, y1, t1), case("disc_2d", x2, y2, t2)],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "svm.json"), "w") as f:
    json.dump(out, f, indent=1)
