// phonetic integration tests (in progress)
