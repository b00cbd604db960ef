"""Running a repository's tests: which Python, which environment, the command, JUnit XML."""
