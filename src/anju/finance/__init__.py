"""Transaction costs by the rules in force, mortgages and affordability: pure Decimal calculators."""
