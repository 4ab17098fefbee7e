"""Early detection: signals counted in 5-minute buckets (`buckets`), compared with the usual
volume for that time (`stats`), official status pages (`official`), the live detector and its
suspected incidents (`services`), editor alerts (`alerts`) and the replay of a timeline
(`replay`)."""
