-- Cluster: each node that becomes the hub takes the next term, so a node can tell the current
-- hub from one that lost its lease but still talks.
CREATE SEQUENCE hub_terms;
