//! kolben-router: the URL router behind the kolben web framework.

#[cfg(feature = "python")]
mod py;
