//! A cluster of real server nodes that share a throwaway PostgreSQL server and NATS broker.

use crate::nats::TestNats;
use crate::postgres::TestPostgres;
use crate::server::TestServer;

/// Running nodes; the first one started is the hub.
pub struct TestCluster {
    /// The nodes, in the order they were started.
    pub nodes: Vec<TestServer>,
    nats: TestNats,
    database_url: String,
    _postgres: TestPostgres,
}

impl TestCluster {
    /// Starts PostgreSQL, NATS and `count` nodes, one after the other: the first becomes the
    /// hub, the others relays that have heard from it.
    pub async fn start(count: usize) -> anyhow::Result<TestCluster> {
        let postgres = TestPostgres::start().await?;
        let database_url = postgres.create_database("switchboard").await?;
        let mut cluster = TestCluster {
            nodes: Vec::new(),
            nats: TestNats::start().await?,
            database_url,
            _postgres: postgres,
        };
        for _ in 0..count {
            cluster.add_node().await?;
        }
        Ok(cluster)
    }

    /// Starts one more node.
    pub async fn add_node(&mut self) -> anyhow::Result<()> {
        let nats_url = self.nats.url();
        let flags = ["--nats-url", nats_url.as_str()];
        let node = TestServer::start_on_postgres(&self.database_url, &flags).await?;
        self.nodes.push(node);
        Ok(())
    }
}
