package io.lb4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class RequestKeysTest {

    private static HttpRequest.Builder request(String uri) {
        return HttpRequest.newBuilder(URI.create(uri));
    }

    @Test
    void headerKeyIsTheFirstValueCaseInsensitively() {
        HttpRequest r = request("http://users/x").header("X-User", "u1").header("x-user", "u2").build();
        assertThat(RequestKeys.header("x-USER").apply(r)).isEqualTo("u1");
        assertThat(RequestKeys.header("X-Other").apply(r)).isNull();
    }

    @Test
    void cookieKeyFindsTheNamedCookieAcrossHeadersAndUnquotesIt() {
        HttpRequest r = request("http://users/x").header("Cookie", "a=1; session=\"abc\"").header("Cookie", "b=2").build();
        assertThat(RequestKeys.cookie("session").apply(r)).isEqualTo("abc");
        assertThat(RequestKeys.cookie("b").apply(r)).isEqualTo("2");
        assertThat(RequestKeys.cookie("Session").apply(r)).isNull();
        assertThat(RequestKeys.cookie("session").apply(request("http://users/x").build())).isNull();
    }

    @Test
    void queryParameterKeyIsDecodedAndAbsentWithoutTheParameter() {
        HttpRequest r = request("http://users/x?q=1&user%20id=a%2Bb+c&flag").build();
        assertThat(RequestKeys.queryParameter("user id").apply(r)).isEqualTo("a+b c");
        assertThat(RequestKeys.queryParameter("flag").apply(r)).isEmpty();
        assertThat(RequestKeys.queryParameter("missing").apply(r)).isNull();
        assertThat(RequestKeys.queryParameter("q").apply(request("http://users/x").build())).isNull();
    }

    @Test
    void pathKeyIsTheRawPath() {
        assertThat(RequestKeys.path().apply(request("http://users/carts/42%2F7?x=1").build())).isEqualTo("/carts/42%2F7");
        assertThat(RequestKeys.path().apply(request("http://users").build())).isEqualTo("/");
    }

    @Test
    void blankNamesAreRejectedNamingTheRule() {
        assertThatThrownBy(() -> RequestKeys.header(" "))
                .hasMessage("header: ' ' (expected: a name that is not blank)");
        assertThatThrownBy(() -> RequestKeys.cookie(""))
                .hasMessage("cookie: '' (expected: a name that is not blank)");
    }
}
