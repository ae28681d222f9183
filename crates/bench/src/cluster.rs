//! A cluster under test: nodes of the server on one PostgreSQL server and one NATS broker,
//! both throwaway instances from Debian's packages (started as the test harness does).

use std::path::Path;

use switchboard_tests::nats::TestNats;
use switchboard_tests::postgres::TestPostgres;

use crate::server::BenchServer;

/// Running nodes; the first is the hub, the others relays.
pub struct BenchCluster {
    /// The nodes, in the order they were started.
    pub nodes: Vec<BenchServer>,
    _nats: TestNats,
    _postgres: TestPostgres,
}

impl BenchCluster {
    /// Starts PostgreSQL, NATS and `count` nodes one after the other.
    pub async fn start(bin: &Path, count: usize) -> anyhow::Result<BenchCluster> {
        let postgres = TestPostgres::start().await?;
        let nats = TestNats::start().await?;
        let flags = [
            "--database-url".to_string(),
            postgres.create_database("switchboard").await?,
            "--nats-url".to_string(),
            nats.url(),
        ];
        let mut nodes = Vec::with_capacity(count);
        for _ in 0..count {
            nodes.push(BenchServer::start_with(bin, &flags).await?);
        }
        Ok(BenchCluster {
            nodes,
            _nats: nats,
            _postgres: postgres,
        })
    }
}
