"""The weekly digest e-mail for each leader (and the office)."""
