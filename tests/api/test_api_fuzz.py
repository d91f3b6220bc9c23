"""A short schemathesis run over /api/v1/openapi.json: whatever it sends, never a server error."""
import schemathesis
from conftest import PASSWORD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode


def test_no_input_makes_the_api_fail(app, client, world):
    token = client.post("/api/v1/token", json={"username": "office", "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {token.json['token']}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    statuses = []

    # Valid and invalid requests for every operation; the office may call all of them.
    @given(case=st.one_of(schema.as_strategy(GenerationMode.POSITIVE),
                          schema.as_strategy(GenerationMode.NEGATIVE)))
    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def call(case):
        response = case.call(headers=bearer)
        statuses.append(response.status_code)
        assert response.status_code < 500, (case.method, case.formatted_path, case.query,
                                             case.body, response.text[:300])

    call()
    assert len(statuses) >= 50 and any(status < 300 for status in statuses)
