DROP TABLE brands;
DROP TABLE receipt_counters;
DROP TABLE donations;
DROP TABLE organizations;
