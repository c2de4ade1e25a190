//! The PyO3 module `kolben._router`.
use pyo3::prelude::*;

#[pymodule(gil_used = false)]
fn _router(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
