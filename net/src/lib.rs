//! Everything that touches a socket: the p2p protocol (mio), the websocket JSON-RPC API that
//! existing BitShares clients speak, and the market-data feed.
//!
//! Nothing lives here yet: the network and API issues bring it.
