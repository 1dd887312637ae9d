# One image recipe for every application of this repository, from the jar the Maven build produced:
#   mvn -DskipTests package        (builds <module>/target/<module>.jar)
#   docker build --build-arg MODULE=order-service-outbox -t dualwrite/order-service-outbox .
# docker-compose.yml builds each application this way. No configuration or secret is baked in: the defaults in
# each application.yml are overridden by environment variables at run time.
FROM eclipse-temurin:17-jre

ARG MODULE
RUN test -n "$MODULE" || (echo "build with --build-arg MODULE=<maven module>" && false) \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --chown=app:app ${MODULE}/target/${MODULE}.jar app.jar
USER app

# Container-sized heap; JAVA_TOOL_OPTIONS in the environment replaces it.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
