//! DPOS 2.0 consensus: slots and block production, the fork database, fork choice and the last
//! irreversible block. It decides *what* the engine applies and owns no sockets.
//!
//! Nothing lives here yet: the journal/node issue brings block production and the fork database.
