"""The model: rulesets, nodes, assessments, score cards, the Rule interface, errors and exact
decimals. It imports no other part of parindex."""
