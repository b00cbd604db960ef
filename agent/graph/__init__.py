"""The agent: a LangGraph macro loop over the backlog and a TDD micro cycle per item."""
