"""The application: the ``flowalgebra`` command (:mod:`algebra.app.main`) and the report
(:mod:`algebra.app.report`), the top layer, which imports every area by name."""

__all__: list[str] = []
