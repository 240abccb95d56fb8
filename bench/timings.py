"""The table of timed rows a picture bench prints: one line per row, one column per figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: The figures of :func:`bench.web_picture_scale.timed`, by the header each is printed under.
COLUMNS = (
    ("p50 ms", "p50_ms"),
    ("p95 ms", "p95_ms"),
    ("max ms", "max_ms"),
    ("CPU p50", "cpu_p50_ms"),
    ("server p50", "server_cpu_p50_ms"),
    ("load", "load_1min"),
)


def print_rows(
    rows: Mapping[str, Mapping[str, float | None]],
    columns: Sequence[tuple[str, str]] = COLUMNS,
    width: int = 46,
) -> None:
    """Print ``rows`` (name → figures) under ``columns`` (header, figure's key); '–': none."""
    print(f"{'':{width}}" + "".join(f"{header:>11}" for header, _ in columns))
    for name, figures in rows.items():
        values = (figures.get(key) for _, key in columns)
        print(f"{name:{width}}" + "".join(f"{v if v is not None else '–':>11}" for v in values))
