"""How sure a measured accuracy is: a 95% interval from the number of test items.

Answering n test items, each right with the same unknown chance p, independently, gives a count
k of right answers that is Binomial(n, p). The measured accuracy p^ = k / n then has standard
deviation sqrt(p (1 - p) / n). For large enough counts (n p^ and n (1 - p^) both at least about 10)
the binomial is close to a normal distribution, so the 95% interval is

    p^ +- z sqrt(p^ (1 - p^) / n),    z = 1.96    (the normal-approximation, or Wald, interval).

Example: 914 right of 1,000 gives 0.914 +- 1.96 sqrt(0.914 * 0.086 / 1000) = 0.914 +- 0.017.
`enough_for_normal` says when the approximation holds; with fewer right (or wrong) answers the
half-width it gives is too small, and a scene should not show it.
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile: 95% of the mass lies within +-Z95
MIN_COUNT = 10  # right and wrong answers each at least this many for the normal approximation


def half_width(accuracy: float, n: int, z: float = Z95) -> float:
    """Half the width of the 95% interval of an accuracy measured on n items: z sqrt(p (1 - p) / n)."""
    if n <= 0:
        raise ValueError("an accuracy needs at least one test item")
    if not 0.0 <= accuracy <= 1.0:
        raise ValueError(f"accuracy {accuracy} is not a fraction in [0, 1]")
    return z * math.sqrt(accuracy * (1.0 - accuracy) / n)


def enough_for_normal(accuracy: float, n: int) -> bool:
    """Whether n items hold at least MIN_COUNT right and MIN_COUNT wrong answers at this accuracy."""
    right = round(accuracy * n)
    return right >= MIN_COUNT and n - right >= MIN_COUNT
