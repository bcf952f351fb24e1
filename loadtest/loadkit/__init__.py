"""Pure helpers of the load tests (no Django, no Locust): endpoint classes
and their percentiles, gates, the lost-write comparison, CPU accounting."""
