"""pabutools from a checkout, patched in this process only, for the comparison scripts beside it.

  * pulp gets a placeholder `HiGHS` (Debian's pulp has none; only pabutools' ILP rules use it);
  * pabutools' `frac`/`str_as_frac` become fractions.Fraction, because with Debian's gmpy2 2.1.2
    its MES returns wrong (empty) outcomes.
"""
import fractions
import sys


def load(checkout):
    """Imports pabutools from the checkout and returns (parse_pabulib, method_of_equal_shares, sat_class_for)."""
    sys.path.insert(0, checkout)
    import pulp

    if not hasattr(pulp, "HiGHS"):
        pulp.HiGHS = None

    import pabutools.fractions  # noqa: F401
    from pabutools.election import AbstractCardinalProfile, Additive_Cardinal_Sat, Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    for name, module in list(sys.modules.items()):
        if name.startswith("pabutools"):
            if hasattr(module, "frac"):
                module.frac = lambda *a: fractions.Fraction(*a)
            if hasattr(module, "str_as_frac"):
                module.str_as_frac = lambda s: fractions.Fraction(s)

    def sat_class_for(profile):
        return Additive_Cardinal_Sat if isinstance(profile, AbstractCardinalProfile) else Cost_Sat

    return parse_pabulib, method_of_equal_shares, sat_class_for
