package io.mirador.api;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No request header or parameter is ever answered back: only the few headers the API sets itself become response
 * headers, a value the client sent in one of them is held back on that exchange, and Camel's own headers cannot be
 * set by a client.
 */
class ResponseHeadersTest {

    private final CamelContext context = new DefaultCamelContext();
    private final ResponseHeaders filter = new ResponseHeaders();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private Exchange exchange() {
        return new DefaultExchange(context);
    }

    /** Whether the header leaves as a response header on this exchange. */
    private boolean leaves(String name, Object value, Exchange exchange) {
        return !filter.applyFilterToCamelHeaders(name, value, exchange);
    }

    /** Whether the header the client sent reaches the message. */
    private boolean comesIn(String name, Object value, Exchange exchange) {
        return !filter.applyFilterToExternalHeaders(name, value, exchange);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type", "WWW-Authenticate", "Allow", "Retry-After", "Vary", "Cache-Control",
            "Content-Encoding", "content-type", "RETRY-AFTER"})
    void should_let_a_header_leave_when_it_is_one_the_api_sets(String name) {
        // when / then
        assertThat(leaves(name, "value", exchange())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-API-Key", "Authorization", "Set-Cookie", "Location", "Content-Length", "tenantId",
            "forceFull", "CamelHttpResponseCode", "Access-Control-Allow-Origin", "X-Scope-OrgID"})
    void should_hold_a_header_back_when_it_is_not_one_the_api_sets(String name) {
        // when / then
        assertThat(leaves(name, "value", exchange())).isFalse();
    }

    @Test
    void should_hold_back_a_value_the_client_sent_when_the_header_is_allowed() {
        // given a client that sent Cache-Control and Vary (as headers or as query parameters)
        Exchange exchange = exchange();
        assertThat(comesIn("Cache-Control", "public, max-age=31536000", exchange)).isTrue();
        assertThat(comesIn("vary", "Origin", exchange)).isTrue();

        // when / then: its values never leave, whatever the case of the name
        assertThat(leaves("Cache-Control", "public, max-age=31536000", exchange)).isFalse();
        assertThat(leaves("CACHE-CONTROL", "public, max-age=31536000", exchange)).isFalse();
        assertThat(leaves("Vary", "Origin", exchange)).isFalse();
        // and: other values of the same header, set by the API, still leave
        assertThat(leaves("Cache-Control", "no-store", exchange)).isTrue();
        // and: what one client sent does not hold back another exchange's header
        assertThat(leaves("Cache-Control", "public, max-age=31536000", exchange())).isTrue();
    }

    @Test
    void should_hold_back_every_value_when_the_client_sent_a_header_several_times() {
        // given
        Exchange exchange = exchange();
        comesIn("Retry-After", "1", exchange);
        comesIn("Retry-After", "3600", exchange);

        // when / then
        assertThat(leaves("Retry-After", "1", exchange)).isFalse();
        assertThat(leaves("Retry-After", "3600", exchange)).isFalse();
        assertThat(leaves("Retry-After", "2", exchange)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CamelHttpResponseCode", "CamelHttpUri", "camelFileName", "CAMELHTTPPATH"})
    void should_filter_camels_own_headers_when_a_client_sends_them(String name) {
        // when / then
        assertThat(comesIn(name, "500", exchange())).isFalse();
    }

    @Test
    void should_let_other_client_headers_reach_the_message_when_they_are_not_camels() {
        // when / then: read by the routes, just never answered back
        Exchange exchange = exchange();
        assertThat(comesIn("X-API-Key", "secret", exchange)).isTrue();
        assertThat(comesIn("Authorization", "Bearer secret", exchange)).isTrue();
        assertThat(leaves("X-API-Key", "secret", exchange)).isFalse();
        assertThat(leaves("Authorization", "Bearer secret", exchange)).isFalse();
    }

    @Test
    void should_keep_the_clients_content_type_out_of_the_message_when_sent_as_header_or_parameter() {
        // given
        Exchange exchange = exchange();

        // when / then: the front door admitted JSON only; a Content-Type says nothing more and steers nothing
        assertThat(comesIn("Content-Type", "application/json", exchange)).isFalse();
        assertThat(comesIn("content-type", "text/xml", exchange)).isFalse();
        // and: the API's own content type still leaves
        assertThat(leaves("Content-Type", "application/json", exchange)).isTrue();
    }

    @Test
    void should_let_an_allowed_header_in_and_out_when_there_is_no_exchange() {
        // when / then
        assertThat(leaves("Content-Type", "application/json", null)).isTrue();
        assertThat(comesIn("Cache-Control", "no-cache", null)).isTrue();
        assertThat(leaves("Cache-Control", "no-cache", null)).isTrue();
    }
}
