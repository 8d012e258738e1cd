"""Authentication (JWTs from Keycloak, verified locally) and role-based access control."""
