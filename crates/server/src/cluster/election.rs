//! Which node is the hub: the one holding a PostgreSQL advisory lock. The lock lives as long as
//! the connection that took it, so a hub that dies (or loses its database) frees it and the
//! next relay to ask takes it, with a higher term.

use std::time::Duration;

use sqlx::{AnyConnection, Connection};

/// The advisory lock's key (any constant the database does not use otherwise).
const HUB_LOCK: i64 = 0x5357_4844;
/// How often the hub checks that its lock connection still works.
const LEASE_CHECK: Duration = Duration::from_secs(1);

/// A database connection that can ask for the hub's lock.
pub struct Candidate {
    connection: AnyConnection,
}

/// The hub's lock, held on its own connection, and the term it started.
pub struct Lease {
    connection: AnyConnection,
    /// This hub's term.
    pub term: i64,
}

impl Candidate {
    /// Connects to the cluster's database.
    pub async fn connect(database_url: &str) -> anyhow::Result<Candidate> {
        sqlx::any::install_default_drivers();
        Ok(Candidate {
            connection: AnyConnection::connect(database_url).await?,
        })
    }

    /// Takes the lock if no node holds it: the lease and a new term, or the candidate back.
    pub async fn try_lead(mut self) -> anyhow::Result<Result<Lease, Candidate>> {
        let won: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(HUB_LOCK)
            .fetch_one(&mut self.connection)
            .await?;
        if !won {
            return Ok(Err(self));
        }
        let term: i64 = sqlx::query_scalar("SELECT nextval('hub_terms')")
            .fetch_one(&mut self.connection)
            .await?;
        Ok(Ok(Lease {
            connection: self.connection,
            term,
        }))
    }
}

impl Lease {
    /// Resolves once the lock's connection fails, i.e. the lock may belong to another node.
    pub async fn lost(mut self) {
        let mut checks = tokio::time::interval(LEASE_CHECK);
        loop {
            checks.tick().await;
            if let Err(error) = self.connection.ping().await {
                tracing::error!(%error, "the hub lost its database lock connection");
                return;
            }
        }
    }
}
