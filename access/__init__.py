"""Who may do what: API tokens, roles and the permissions they grant."""
