package dev.dualwrite.console;

import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Spring MVC's problem details for every request the console refuses, with one difference: a body its records refuse
 * (a rate out of range, say) answers 400 with the record's own reason rather than "Failed to read request". Being a
 * {@link ResponseEntityExceptionHandler}, it takes the place of Boot's own problem-details handler.
 */
@RestControllerAdvice
class BadRequests extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException refused) {
                return ResponseEntity.badRequest()
                        .body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, refused.getMessage()));
            }
            if (cause instanceof JacksonException json && !json.getPath().isEmpty()) {
                field = json.getPath().stream()
                        .map(step ->
                                step.getPropertyName() != null ? step.getPropertyName() : "[" + step.getIndex() + "]")
                        .collect(Collectors.joining("."));
            }
        }
        return ResponseEntity.badRequest()
                .body(ProblemDetail.forStatusAndDetail(
                        HttpStatus.BAD_REQUEST,
                        "The request body is not the JSON this endpoint takes"
                                + (field == null ? "" : ": look at " + field)));
    }
}
