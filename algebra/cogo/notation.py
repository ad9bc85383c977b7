r"""CoGO notation: one set of symbols for every CoGO document (the report's section and each ``--latex``
output of ``flowalgebra cogo``), following Tian 2024 and MATH.md section 2.

The group is :func:`group_symbol` (:math:`\mathbb{Z}_d`, or a product), a whole-network construction is
:func:`construction_symbol` (:math:`Z_{F6}`, :math:`z_{F4/6}`, :math:`z_M`), a name typed on the command
line is :func:`command_name` (typewriter, in math so no underscore leaks into prose), and
:data:`NOTATION` is the paragraph that defines the rest (weights, frequencies, potentials, the field).
The symbols are sympy symbols made when a function is called: importing this module (as the command line does
to check its arguments) imports no sympy.

>>> inline(group_symbol("Z_3 x Z_5")), inline(group_symbol(23))
('$\\mathbb{Z}_{3} \\times \\mathbb{Z}_{5}$', '$\\mathbb{Z}_{23}$')
>>> inline(construction_symbol("F4_6")), inline(construction_symbol("nu_i*xi + one"))
('$z_{F4/6}$', '$z_{\\nu=i} z_{\\xi} + 1$')
>>> inline(command_name("nu_i*xi"))
'$\\texttt{nu\\_i*xi}$'
>>> NOTATION.startswith("$G$ is the group")
True
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from algebra.lazy import lazy_module
from algebra.present import inline, notation_paragraph  # inline: used by the examples above

if TYPE_CHECKING:  # the symbols are sympy symbols, imported (with sympy) when the first one is made
    from algebra.present.symbols import Notation

_symbols = lazy_module("algebra.present.symbols")

__all__ = ["group_symbol", "construction_symbol", "block_symbol", "command_name", "NETWORK_SYMBOLS", "BLOCK_SYMBOLS",
           "NOTATION", "PROOF_NOTATION", "TRAINING_NOTATION",
           "PROOF_EXTRA", "TRAINING_EXTRA"]

#: the symbol of each whole-network construction, by its command-line name
NETWORK_SYMBOLS = {"F6": r"Z_{F6}", "F4_6": r"z_{F4/6}", "F4_6_naive": r"z^{\mathrm{naive}}_{F4/6}", "M": r"z_M"}
#: the symbol of each named single-frequency block, by its command-line name (the labels of
#: :mod:`algebra.cogo.constructions`)
BLOCK_SYMBOLS = {"one": "1", "nu": r"z_{\nu}", "nu_i": r"z_{\nu=i}", "xi": r"z_{\xi}", "syn": r"z_{syn}",
                 "syn_ab": r"z_{syn,\alpha\beta}", "zero": "0", "syn_c": r"z_{syn,c}"}


def group_symbol(group: Any) -> Notation:
    r"""The group as math: an :class:`~groups.abelian.AbelianGroup`, its name (``"Z_3 x Z_5"``), an order
    ``d`` (:math:`\mathbb{Z}_d`) or a list of cyclic orders.

    >>> print(group_symbol([2, 4]))
    \mathbb{Z}_{2} \times \mathbb{Z}_{4}
    """
    if hasattr(group, "moduli"):
        moduli = list(group.moduli)
    elif isinstance(group, str):
        moduli = re.findall(r"Z_\{?(\w+)\}?", group) or [group]
    elif isinstance(group, int):
        moduli = [group]
    else:
        moduli = list(group)
    return _symbols.Notation(r" \times ".join(rf"\mathbb{{Z}}_{{{m}}}" for m in moduli))


def block_symbol(expression: str) -> Notation:
    r"""A block expression typed as text (names, ``*`` and ``+``) as the product/sum of the blocks' symbols.

    >>> print(block_symbol("nu*syn"))
    z_{\nu} z_{syn}
    """
    terms = []
    for term in expression.split("+"):
        names = [f.strip() for f in term.split("*") if f.strip()]
        terms.append(" ".join(BLOCK_SYMBOLS.get(n, rf"\texttt{{{_tt(n)}}}") for n in names))
    return _symbols.Notation(" + ".join(terms))


def construction_symbol(name: str) -> Notation:
    """The symbol of a construction by its command-line name: a whole network (``F6``) or a block
    expression (``nu_i*xi``); any other text is shown as a typed name."""
    if name in NETWORK_SYMBOLS:
        return _symbols.Notation(NETWORK_SYMBOLS[name])
    if re.fullmatch(r"[A-Za-z0-9_*+ ]+", name) and all(
            f.strip() in BLOCK_SYMBOLS for t in name.split("+") for f in t.split("*")):
        return block_symbol(name)
    return command_name(name)


def _tt(text: str) -> str:
    return re.sub(r"([_&%#{}$])", r"\\\1", text)


def command_name(text: str) -> Notation:
    """A name as typed on the command line (typewriter type, set in math so that prose stays clean)."""
    return _symbols.Notation(rf"\texttt{{{_tt(text)}}}")


#: the paragraph that opens every CoGO document
NOTATION = notation_paragraph([
    ("G", r"is the group of the task $g_1, g_2 \mapsto g_1 + g_2$, here $\mathbb{Z}_d$ or a product "
          r"$\mathbb{Z}_{m_1} \times \mathbb{Z}_{m_2}$, of order $d = |G|$"),
    (r"\chi_k", r"its characters, indexed by the frequencies $k \in G$ ($k = 0$ the trivial one)"),
    (r"a_{k,j}, b_{k,j}, c_{k,j}", r"the Fourier coefficients at frequency $k$ of hidden node $j$ of the input "
                                   r"weights $W_a$, $W_b$ and the output weights $W_c$ (real weights give "
                                   r"$a_{-k,j} = \bar a_{k,j}$)"),
    (r"r_{k_1,k_2,k} = \sum_j a_{k_1,j} b_{k_2,j} c_{k,j}",
     r"and $r^a_{k_1,k_2,k} = \sum_j a_{k_1,j} a_{k_2,j} c_{k,j}$ (likewise $r^b$) the monomial potentials, "
     r"$r_{k,k,k}$ the target and $R_n = 2(r^a_{k,-k,k} + r^b_{k,-k,k})$ the part of output $k$ that does not depend "
     r"on the input"),
    ("(a_j, b_j, c_j)", r"the nodes of a single-frequency block (one frequency pair $\{k, -k\}$); $\nu$, $\xi$, "
                        r"$\alpha$, $\beta$ are its free parameters on the unit circle and "
                        r"$\omega_3 = e^{2\pi i/3}$"),
    (r"\mathbb{Q}(\zeta_m)", r"is the cyclotomic field ($\zeta_m = e^{2\pi i/m}$) in which every value is exact"),
], tail="The symbols follow [@tian2024].")

#: what the symbolic proof adds to :data:`NOTATION`
PROOF_EXTRA = r"In the check, the entries of $W_a$, $W_b$, $W_c$ are independent real symbols."
#: the notation of the symbolic proof (its weights are real symbols)
PROOF_NOTATION = f"{NOTATION} {PROOF_EXTRA}"

#: what trained networks add to :data:`NOTATION`
TRAINING_EXTRA = (r"A trained network is cut into blocks by assigning each live node to the frequency pair where its "
                  r"input weights carry most energy; a block's order is its number of nodes.")
#: the notation of trained networks (numeric)
TRAINING_NOTATION = f"{NOTATION} {TRAINING_EXTRA}"
