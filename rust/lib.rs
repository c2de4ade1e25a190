//! kolben-router: the URL router behind the kolben web framework.
//!
//! Rules use Werkzeug's syntax and semantics:
//!
//! - `/user/<username>`, `/<int:id>`, `/<int(signed=True, max=5):n>`,
//!   `/files/<path:p>`, `/<uuid:u>`, `/<any(about, help):page>`, and custom
//!   converters given as regular expressions (matched by the linear-time `regex`
//!   crate: no catastrophic backtracking).
//! - Matching goes part by part (the host or subdomain first, then each path
//!   segment). At each node the static child is tried first, then the dynamic
//!   children ordered by Werkzeug's weights (more static text first, then `int`
//!   and `float` (50) before `string`, `uuid`, `any` (100) before `path` (200)),
//!   backtracking when a later part fails. The cost follows the path's length,
//!   not the number of rules.
//! - A path that matches only with another method reports the methods that would
//!   match (405); `/a/` requested as `/a` asks for a redirect (strict slashes);
//!   runs of slashes redirect to the merged path.
//! - Conflicts are errors: a rule that matches exactly the URLs of an earlier one
//!   for an overlapping method is rejected with [`InsertError::Conflict`] naming
//!   both, where Werkzeug would let the first silently win.
//!
//! ```
//! use kolben_router::{Outcome, RouteOptions, Router};
//!
//! let mut router = Router::new();
//! let user = router.insert("/user/<int:id>", RouteOptions::default()).unwrap();
//! match router.at("", "/user/42", "GET", false) {
//!     Outcome::Found { route, values } => {
//!         assert_eq!(route, user);
//!         assert_eq!(values.as_slice(), ["42"]);
//!     }
//!     other => panic!("{other:?}"),
//! }
//! ```

mod converter;
mod error;
#[cfg(feature = "fault-injection")]
pub mod fault;
mod methods;
mod params;
mod router;
mod rule;
mod table;
mod tree;
mod urls;

#[cfg(feature = "python")]
mod py;

pub use converter::{Bound, Converter, Custom};
pub use error::InsertError;
pub use methods::{Method, MethodSet};
pub use params::Params;
pub use router::{Outcome, Route, RouteOptions, Router};
pub use rule::{parse_args, tokenize, ArgValue, Args, ParseError, Token, Variable};
pub use urls::{quote, url_value};
